import { decodeJwt } from "jose";
import { isFailure } from "@inventory/shared";
import type { VerifyToken } from "./token-verifier.js";

export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at once; past it the oldest is forgotten. */
  readonly maxEntries: number;
  /** A remembered token is checked again after this long, so a withdrawn key stops working within it. */
  readonly maxAgeSeconds: number;
  /** Tolerated clock difference for `exp` and `nbf`, as the verifier's. */
  readonly clockSkewSeconds: number;
}

/**
 * Remembers tokens that verified, so a till sending the same token with every write pays for the signature
 * check (30-90 µs with jose's WebCrypto) once a minute instead of every time. Keyed by the whole token,
 * signature included, so only that exact token is let through; still refused once its `exp` passes.
 * Refusals are not remembered.
 */
export const withVerifiedTokenCache = (verify: VerifyToken, options: VerifiedTokenCacheOptions): VerifyToken => {
  const remembered = new Map<string, { principal: Awaited<ReturnType<VerifyToken>>; until: number; from: number }>();
  return async (token, nowSeconds) => {
    const now = nowSeconds ?? Date.now() / 1000;
    const hit = remembered.get(token);
    if (hit && now <= hit.until && now >= hit.from) return hit.principal;
    if (hit) remembered.delete(token);
    const principal = await verify(token, nowSeconds);
    if (isFailure(principal)) return principal;
    const { exp, nbf } = decodeJwt(token);
    const until = Math.min(typeof exp === "number" ? exp + options.clockSkewSeconds : now, now + options.maxAgeSeconds);
    const from = typeof nbf === "number" ? nbf - options.clockSkewSeconds : -Infinity;
    remembered.set(token, { principal, until, from });
    if (remembered.size > options.maxEntries) remembered.delete(remembered.keys().next().value!);
    return principal;
  };
};
