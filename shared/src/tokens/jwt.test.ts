import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signHs256Token, verifyToken, type TokenClaims } from "./jwt.js";

const secret = "a-test-secret-that-is-long-enough-123";
const check = { hs256Secret: secret, audience: "inventory", clockSkewSeconds: 30 };
const now = 1_800_000_000;
const claims = (over: Partial<TokenClaims> = {}): TokenClaims => ({ sub: "ana", aud: "inventory", exp: now + 600, roles: ["clerk"], stores: ["S1"], ...over });

describe("bearer tokens", () => {
  it("given a well-signed token, then the caller's roles and stores come from it", () => {
    expect(verifyToken(signHs256Token(claims(), secret), check, now)).toEqual({ subject: "ana", roles: ["clerk"], stores: ["S1"] });
  });

  it.each([
    ["another secret", () => signHs256Token(claims(), "some-other-secret-entirely-000000"), "bad signature"],
    ["an expired token", () => signHs256Token(claims({ exp: now - 31 }), secret), "expired"],
    ["a token not valid yet", () => signHs256Token(claims({ nbf: now + 31 }), secret), "not valid yet"],
    ["another audience", () => signHs256Token(claims({ aud: "billing" }), secret), "wrong audience"],
    ["a tampered payload", () => {
      const [h, , s] = signHs256Token(claims(), secret).split(".");
      return `${h}.${Buffer.from(JSON.stringify(claims({ roles: ["admin"] }))).toString("base64url")}.${s}`;
    }, "bad signature"],
    ["alg none", () => `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims())).toString("base64url")}.`, "bad signature"],
    ["garbage", () => "not.a.token", "malformed"],
  ])("refuses %s", (_, make, why) => {
    expect(verifyToken(make(), check, now)).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining(why) });
  });

  it("accepts a small clock skew", () => {
    expect(verifyToken(signHs256Token(claims({ exp: now - 10 }), secret), check, now)).toMatchObject({ subject: "ana" });
  });

  it("verifies RS256 tokens against a JWKS key", () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = { ...publicKey.export({ format: "jwk" }), kid: "k1" };
    const body = `${Buffer.from(JSON.stringify({ alg: "RS256", kid: "k1" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims({ roles: ["operator"] }))).toString("base64url")}`;
    const token = `${body}.${sign("RSA-SHA256", Buffer.from(body), privateKey).toString("base64url")}`;
    expect(verifyToken(token, { audience: "inventory", clockSkewSeconds: 30, rs256Keys: [jwk] }, now)).toMatchObject({ roles: ["operator"] });
  });
});
