import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "./logger.js";
import { loadRemoteJwks, type RemoteJwksOptions } from "./remote-jwks.js";
import { createTokenVerifier } from "./token-verifier.js";

/** A stand-in identity provider on loopback: serves `keys`, counts fetches, and can hang or be down. */
const identityProvider = async () => {
  const state = { keys: [] as JWK[], fetches: 0, hang: false };
  const server: Server = createServer((_req, res) => {
    state.fetches += 1;
    if (state.hang) return;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    state,
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

type Signer = { kid: string; jwk: JWK; sign: (sub: string) => Promise<string> };
const signer = async (kid: string): Promise<Signer> => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const now = Math.floor(Date.now() / 1000);
  return {
    kid,
    jwk: { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "ES256" },
    sign: (sub) =>
      new SignJWT({ roles: ["clerk"], stores: ["S1"] })
        .setProtectedHeader({ alg: "ES256", kid })
        .setSubject(sub)
        .setAudience("inventory")
        .setExpirationTime(now + 600)
        .sign(privateKey),
  };
};

let idp: Awaited<ReturnType<typeof identityProvider>>;
let a: Signer;
let b: Signer;
beforeAll(async () => {
  a = await signer("key-a");
  b = await signer("key-b");
});
afterEach(async () => idp?.close());

const options = (over: Partial<RemoteJwksOptions> = {}): RemoteJwksOptions => ({
  url: idp.url,
  cachePath: join(mkdtempSync(join(tmpdir(), "jwks-")), "jwks.json"),
  timeoutMs: 300,
  refreshMinIntervalMs: 60_000,
  maxAgeMs: 600_000,
  log: silentLogger,
  ...over,
});
const verifierOf = async (o: RemoteJwksOptions) =>
  createTokenVerifier({ audience: "inventory", clockSkewSeconds: 30, keys: await loadRemoteJwks(o) });

describe("an identity provider's JWKS over HTTP", () => {
  it("given a rotation to a new key, when a token names it, then the JWKS is fetched again once and the token verifies", async () => {
    idp = await identityProvider();
    idp.state.keys = [a.jwk];
    const verify = await verifierOf(options({ refreshMinIntervalMs: 0 }));
    expect(await verify(await a.sign("ana"))).toMatchObject({ subject: "ana" });
    expect(idp.state.fetches).toBe(1);
    idp.state.keys = [a.jwk, b.jwk];
    expect(await verify(await b.sign("bo"))).toMatchObject({ subject: "bo" });
    expect(idp.state.fetches).toBe(2);
    expect(await verify(await b.sign("bo"))).toMatchObject({ subject: "bo" });
    expect(idp.state.fetches).toBe(2);
  });

  it("given many tokens with made-up kids at once, then the JWKS is fetched again only once in the interval", async () => {
    idp = await identityProvider();
    idp.state.keys = [a.jwk];
    let clock = 1_000_000;
    const verify = await verifierOf(options({ now: () => clock, refreshMinIntervalMs: 30_000 }));
    clock += 30_001;
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => signer(`made-up-${i}`).then((s) => s.sign("mallory"))));
    const outcomes = await Promise.all(forged.map((t) => verify(t)));
    expect(outcomes.every((o) => "code" in o && o.code === "UNAUTHORIZED")).toBe(true);
    expect(idp.state.fetches).toBe(2);
    expect(await verify(await b.sign("bo"))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(idp.state.fetches).toBe(2);
  });

  it("given keys fetched once, when the process restarts while the identity provider is down, then tokens still verify from the copy on disk", async () => {
    idp = await identityProvider();
    idp.state.keys = [a.jwk, { kty: "RSA", kid: "enc", use: "enc", n: "AQAB", e: "AQAB" }];
    const o = options();
    await loadRemoteJwks(o);
    const kept = JSON.parse(readFileSync(o.cachePath, "utf8"));
    expect(kept).toMatchObject({ url: idp.url, keys: [{ kid: "key-a" }] });
    expect(kept.keys).toHaveLength(1);
    await idp.close();
    const verify = await verifierOf(o);
    expect(await verify(await a.sign("ana"))).toMatchObject({ subject: "ana" });
  });

  it("given the identity provider hangs, then the fetch gives up after the timeout and the copy on disk is used", async () => {
    idp = await identityProvider();
    idp.state.keys = [a.jwk];
    const o = options({ timeoutMs: 300 });
    await loadRemoteJwks(o);
    idp.state.hang = true;
    const started = Date.now();
    const verify = await verifierOf(o);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await verify(await a.sign("ana"))).toMatchObject({ subject: "ana" });
  });

  it("given no copy on disk and the identity provider down, then it refuses to start, naming the URL", async () => {
    idp = await identityProvider();
    const o = options();
    await idp.close();
    await expect(loadRemoteJwks(o)).rejects.toThrow(`cannot fetch the JWKS from ${o.url}`);
  });

  it("given keys older than their maximum age, then they are fetched again in the background", async () => {
    idp = await identityProvider();
    idp.state.keys = [a.jwk];
    let clock = 1_000_000;
    const verify = await verifierOf(options({ now: () => clock, maxAgeMs: 10_000, refreshMinIntervalMs: 0 }));
    clock += 11_000;
    idp.state.keys = [b.jwk];
    expect(await verify(await a.sign("ana"))).toMatchObject({ subject: "ana" });
    await expect.poll(() => idp.state.fetches).toBe(2);
    await expect.poll(async () => verify(await a.sign("ana"))).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
