import { createServer } from "node:http";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signHs256Token } from "@inventory/shared";
import { authEnvSchema, DEV_SIGNING_SECRET, loadAuthOptions } from "./auth-config.js";
import { authenticate, type AuthVariables } from "./authenticate.js";
import { silentLogger } from "./logger.js";

const appWith = async (env: Record<string, string>) => {
  const auth = await loadAuthOptions(authEnvSchema.parse(env), silentLogger);
  return new Hono<{ Variables: AuthVariables }>().use(authenticate(auth)).get("/who", (c) => c.json(c.get("principal")));
};
const call = (app: Hono<{ Variables: AuthVariables }>, token: string) =>
  app.request("/who", { headers: { Authorization: `Bearer ${token}` } });
const exp = () => Math.floor(Date.now() / 1000) + 600;

describe("loadAuthOptions and authenticate", () => {
  it("given a JWKS URL, then an EdDSA token from its identity provider passes the middleware, and a development token does not", async () => {
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const jwk = { ...(await exportJWK(publicKey)), kid: "ed-1" };
    const server = createServer((_, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const cachePath = join(mkdtempSync(join(tmpdir(), "auth-")), "keys.json");
    try {
      const app = await appWith({
        AUTH_JWKS_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`,
        AUTH_JWKS_CACHE_PATH: cachePath,
      });
      const token = await new SignJWT({ roles: ["backoffice"] })
        .setProtectedHeader({ alg: "EdDSA", kid: "ed-1" })
        .setSubject("idp-user")
        .setAudience("inventory")
        .setExpirationTime(exp())
        .sign(privateKey);
      const ok = await call(app, token);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ subject: "idp-user", roles: ["backoffice"], stores: [] });
      expect(existsSync(cachePath)).toBe(true);
      const dev = await call(app, signHs256Token({ sub: "x", aud: "inventory", exp: exp(), roles: ["admin"] }, DEV_SIGNING_SECRET));
      expect(dev.status).toBe(401);
      expect(dev.headers.get("www-authenticate")).toBe('Bearer realm="inventory"');
    } finally {
      server.close();
    }
  });

  it("given no key settings outside production, then development tokens pass and others are 401 saying why", async () => {
    const app = await appWith({});
    expect(
      (await call(app, signHs256Token({ sub: "dev", aud: "inventory", exp: exp(), roles: ["clerk"], stores: ["S1"] }, DEV_SIGNING_SECRET)))
        .status,
    ).toBe(200);
    const expired = await call(
      app,
      signHs256Token({ sub: "dev", aud: "inventory", exp: exp() - 3600, roles: ["clerk"] }, DEV_SIGNING_SECRET),
    );
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: "UNAUTHORIZED", message: "the bearer token is not valid: expired" });
  });

  it("given production without any key, then it refuses to start", async () => {
    await expect(loadAuthOptions(authEnvSchema.parse({ NODE_ENV: "production" }), silentLogger)).rejects.toThrow(/production needs/);
  });
});
