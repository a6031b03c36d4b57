import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { signHs256Token, type TokenClaims } from "@inventory/shared";
import { signingKeySet } from "./remote-jwks.js";
import { createTokenVerifier } from "./token-verifier.js";

const secret = "a-test-secret-that-is-long-enough-123";
const now = 1_800_000_000;
const claims = (over: Partial<TokenClaims> = {}): TokenClaims => ({
  sub: "ana",
  aud: "inventory",
  exp: now + 600,
  roles: ["clerk"],
  stores: ["S1"],
  ...over,
});
const base = { audience: "inventory", clockSkewSeconds: 30 };
const hs256 = createTokenVerifier({ ...base, hs256Secret: secret });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("HS256 tokens", () => {
  it("given a well-signed token, then the caller's roles and stores come from it", async () => {
    expect(await hs256(signHs256Token(claims(), secret), now)).toEqual({ subject: "ana", roles: ["clerk"], stores: ["S1"] });
  });

  it.each([
    ["another secret", () => signHs256Token(claims(), "some-other-secret-entirely-000000"), "bad signature"],
    ["an expired token", () => signHs256Token(claims({ exp: now - 31 }), secret), "expired"],
    ["a token without exp", () => signHs256Token({ ...claims(), exp: undefined } as unknown as TokenClaims, secret), "expired"],
    ["a token not valid yet", () => signHs256Token(claims({ nbf: now + 31 }), secret), "not valid yet"],
    ["another audience", () => signHs256Token(claims({ aud: "billing" }), secret), "wrong audience"],
    ["no subject", () => signHs256Token(claims({ sub: "" }), secret), "no subject"],
    [
      "a tampered payload",
      () => {
        const [h, , s] = signHs256Token(claims(), secret).split(".");
        return `${h}.${b64(claims({ roles: ["admin"] }))}.${s}`;
      },
      "bad signature",
    ],
    ["alg none", () => `${b64({ alg: "none" })}.${b64(claims())}.`, "bad signature"],
    ["garbage", () => "not.a.token", "malformed"],
    ["two parts", () => "a.b", "not a JWT"],
  ])("refuses %s", async (_, make, why) => {
    expect(await hs256(make(), now)).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining(why) });
  });

  it("accepts a small clock skew", async () => {
    expect(await hs256(signHs256Token(claims({ exp: now - 10 }), secret), now)).toMatchObject({ subject: "ana" });
  });

  it("checks the issuer when one is set", async () => {
    const strict = createTokenVerifier({ ...base, hs256Secret: secret, issuer: "https://idp.example" });
    expect(await strict(signHs256Token(claims({ iss: "https://idp.example" }), secret), now)).toMatchObject({ subject: "ana" });
    expect(await strict(signHs256Token(claims({ iss: "https://other.example" }), secret), now)).toMatchObject({
      message: expect.stringContaining("wrong issuer"),
    });
  });
});

describe("tokens signed by an identity provider's keys", () => {
  const pairs: Record<string, { privateKey: CryptoKey; jwk: JWK }> = {};
  beforeAll(async () => {
    for (const [alg, kid] of [
      ["RS256", "r1"],
      ["ES256", "e1"],
      ["EdDSA", "o1"],
    ] as const) {
      const { publicKey, privateKey } = await generateKeyPair(alg, { crv: alg === "EdDSA" ? "Ed25519" : undefined });
      pairs[alg] = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid } };
    }
  });
  const sign = (alg: string, over: Partial<TokenClaims> = {}, kid: string | null = pairs[alg]!.jwk.kid ?? null) =>
    new SignJWT({ ...claims(over) }).setProtectedHeader(kid ? { alg, kid } : { alg }).sign(pairs[alg]!.privateKey);
  const verifier = (keys: JWK[], hs256Secret?: string) =>
    createTokenVerifier({ ...base, keys: signingKeySet(keys), ...(hs256Secret ? { hs256Secret } : {}) });

  it.each(["RS256", "ES256", "EdDSA"])("given a %s token and its key in the JWKS, then it is verified", async (alg) => {
    const verify = verifier(Object.values(pairs).map((p) => p.jwk));
    expect(await verify(await sign(alg, { roles: ["operator"] }), now)).toEqual({ subject: "ana", roles: ["operator"], stores: ["S1"] });
  });

  it("given a token without a kid and two keys of its type, then the one that verifies it is used", async () => {
    const other = await generateKeyPair("ES256");
    const verify = verifier([{ ...(await exportJWK(other.publicKey)) }, { ...pairs.ES256!.jwk, kid: undefined }]);
    expect(await verify(await sign("ES256", {}, null), now)).toMatchObject({ subject: "ana" });
  });

  it("given a token whose kid is in no key, then it is refused", async () => {
    const verify = verifier([pairs.RS256!.jwk]);
    expect(await verify(await sign("RS256", {}, "unknown"), now)).toMatchObject({ message: expect.stringContaining("no key for it") });
  });

  it("given the key is published for encryption only, then a token signed with it is refused", async () => {
    const verify = verifier([{ ...pairs.RS256!.jwk, use: "enc" }]);
    expect(await verify(await sign("RS256"), now)).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("given only keys are configured, then an HS256 token signed with the public key's text as secret is refused", async () => {
    const verify = verifier([pairs.RS256!.jwk]);
    expect(await verify(signHs256Token(claims(), JSON.stringify(pairs.RS256!.jwk)), now)).toMatchObject({
      message: expect.stringContaining("bad signature"),
    });
  });

  it("given a secret and keys, then both kinds of token are verified and each only with its own", async () => {
    const verify = verifier([pairs.ES256!.jwk], secret);
    expect(await verify(signHs256Token(claims(), secret), now)).toMatchObject({ subject: "ana" });
    expect(await verify(await sign("ES256"), now)).toMatchObject({ subject: "ana" });
    expect(await verify(await sign("RS256"), now)).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("given an expired ES256 token, then it is refused as expired", async () => {
    const verify = verifier([pairs.ES256!.jwk]);
    expect(await verify(await sign("ES256", { exp: now - 60 }), now)).toMatchObject({ message: expect.stringContaining("expired") });
  });
});
