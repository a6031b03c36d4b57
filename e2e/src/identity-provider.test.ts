import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, infra } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

/** An identity provider on loopback that publishes one ES256 key, and can be taken down. */
let idp: Server;
let idpUrl: string;
let fetches = 0;
let sign: (subject: string) => Promise<string>;
let system: TestSystem;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "idp-key-1", use: "sig", alg: "ES256" };
  sign = (subject) =>
    new SignJWT({ roles: ["clerk"], stores: ["S1"] })
      .setProtectedHeader({ alg: "ES256", kid: "idp-key-1" })
      .setSubject(subject)
      .setAudience("inventory")
      .setExpirationTime("10m")
      .sign(privateKey);
  idp = createServer((_, res) => {
    fetches += 1;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  const port = (idp.address() as { port: number }).port;
  idpUrl = `http://127.0.0.1:${port}/jwks.json`;
  system = await startSystem({
    agents: ["S1"],
    agentEnv: {
      AUTH_JWKS_URL: idpUrl,
      AUTH_JWKS_CACHE_PATH: `${infra.dataDir()}/replicas/jwks-${port}.json`,
      AUTH_JWKS_TIMEOUT_MS: "1000",
      READS_REQUIRE_TOKEN: "true",
      ALLOW_DEV_TOKEN: "false",
    },
  });
  await seedCatalog(system, ["S1"], [{ sku: "K1", perStore: { S1: 5 } }]);
});
afterAll(async () => {
  await system?.close();
  idp?.closeAllConnections();
  idp?.close();
});

const readWith = (token: string) => system.agent("S1").get("/v1/availability?sku=K1", { Authorization: `Bearer ${token}` });

describe("an agent whose tokens come from an identity provider", () => {
  it("verifies the provider's ES256 tokens and refuses tokens it did not sign", async () => {
    expect(fetches).toBe(1);
    const token = await sign("clerk-ana");
    await eventually(async () => expect((await readWith(token)).status).toBe(200));
    const foreign = await readWith(tokenFor("admin"));
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("given the provider unreachable, when the agent restarts, then it starts with the keys it kept and still verifies", async () => {
    idp.closeAllConnections();
    await new Promise<void>((resolve) => idp.close(() => resolve()));
    await system.stopAgent("S1");
    await system.startAgent("S1");
    expect((await readWith(await sign("clerk-bo"))).status).toBe(200);
    expect((await readWith(tokenFor("admin"))).status).toBe(401);
    expect((await system.agent("S1").get("/v1/availability?sku=K1")).status).toBe(401);
  });
});
