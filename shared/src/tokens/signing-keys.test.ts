import { describe, expect, it } from "vitest";
import { usableSigningKeys } from "./signing-keys.js";

const rsa = { kty: "RSA", kid: "r", n: "AQAB", e: "AQAB" };
const ec = { kty: "EC", kid: "e", crv: "P-256", x: "x", y: "y" };
const ed = { kty: "OKP", kid: "o", crv: "Ed25519", x: "x" };

describe("usableSigningKeys", () => {
  it("given RSA, P-256 and Ed25519 public keys, then all of them may verify", () => {
    expect(usableSigningKeys([rsa, ec, ed, { ...rsa, use: "sig", alg: "RS256", key_ops: ["verify"] }])).toHaveLength(4);
  });

  it.each([
    ["an encryption key", { ...rsa, use: "enc" }],
    ["a key only for encrypting", { ...rsa, key_ops: ["encrypt"] }],
    ["an RSA key for another algorithm", { ...rsa, alg: "PS512" }],
    ["a key whose alg does not fit its type", { ...ec, alg: "RS256" }],
    ["a P-384 key", { ...ec, crv: "P-384" }],
    ["an X25519 key", { ...ed, crv: "X25519" }],
    ["a symmetric key", { kty: "oct", k: "c2VjcmV0" }],
    ["a private key", { ...rsa, d: "private" }],
    ["something that is not a key", "RS256"],
  ])("given %s, then it is left out", (_, key) => {
    expect(usableSigningKeys([rsa, key])).toEqual([rsa]);
  });
});
