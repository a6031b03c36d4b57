import { describe, expect, it } from "vitest";
import { signHs256Token, type Principal } from "@inventory/shared";
import { createTokenVerifier, type VerifyToken } from "./token-verifier.js";
import { withVerifiedTokenCache } from "./verified-token-cache.js";

const secret = "a-test-secret-that-is-long-enough-123";
const now = 1_800_000_000;
const tokenOf = (sub: string, exp = now + 600) => signHs256Token({ sub, aud: "inventory", exp, roles: ["clerk"], stores: ["S1"] }, secret);
const counting = () => {
  const inner = createTokenVerifier({ hs256Secret: secret, audience: "inventory", clockSkewSeconds: 30 });
  const calls = { n: 0 };
  const verify: VerifyToken = (t, s) => {
    calls.n += 1;
    return inner(t, s);
  };
  return { calls, cached: withVerifiedTokenCache(verify, { maxEntries: 2, maxAgeSeconds: 60, clockSkewSeconds: 30 }) };
};

describe("withVerifiedTokenCache", () => {
  it("given a token that verified, when it comes again within a minute, then its signature is not checked again", async () => {
    const { calls, cached } = counting();
    const token = tokenOf("ana");
    const first = await cached(token, now);
    expect(await cached(token, now + 59)).toEqual(first);
    expect((first as Principal).subject).toBe("ana");
    expect(calls.n).toBe(1);
    await cached(token, now + 61);
    expect(calls.n).toBe(2);
  });

  it("given a remembered token, when its exp passes, then it is refused", async () => {
    const { cached } = counting();
    const token = tokenOf("ana", now + 20);
    expect(await cached(token, now)).toMatchObject({ subject: "ana" });
    expect(await cached(token, now + 51)).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("expired") });
  });

  it("given a refused token, then the refusal is not remembered and the token is checked each time", async () => {
    const { calls, cached } = counting();
    const forged = signHs256Token(
      { sub: "eve", aud: "inventory", exp: now + 600, roles: ["admin"] },
      "another-secret-that-is-long-enough-0",
    );
    expect(await cached(forged, now)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await cached(forged, now)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(calls.n).toBe(2);
  });

  it("given more tokens than it may remember, then the oldest is forgotten", async () => {
    const { calls, cached } = counting();
    for (const sub of ["a", "b", "c"]) await cached(tokenOf(sub), now);
    await cached(tokenOf("c"), now);
    expect(calls.n).toBe(3);
    await cached(tokenOf("a"), now);
    expect(calls.n).toBe(4);
  });
});
