import type { MiddlewareHandler } from "hono";
import { failure, type Principal } from "@inventory/shared";
import { failureResponse } from "./error-response.js";

export interface RateLimitOptions {
  /** Sustained writes per second allowed to one caller; 0 turns the limit off. */
  readonly perSecond: number;
  /** Writes one caller may send in a burst above the sustained rate. */
  readonly burst: number;
  readonly now?: () => number;
}

/** A token bucket per caller (the token's subject): 429 with Retry-After once a caller's bucket is empty. */
export const rateLimitWrites = (options: RateLimitOptions): MiddlewareHandler<{ Variables: { principal: Principal } }> => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const now = options.now ?? (() => performance.now());
  return async (c, next) => {
    if (options.perSecond <= 0) return next();
    const subject = c.get("principal").subject;
    const t = now();
    const bucket = buckets.get(subject) ?? { tokens: options.burst, at: t };
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
    bucket.at = t;
    buckets.set(subject, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
      return failureResponse(c, failure("RATE_LIMITED", "too many writes from this caller; slow down", { retryAfterSeconds: retryAfter }), {
        "Retry-After": String(retryAfter),
      });
    }
    bucket.tokens -= 1;
    await next();
  };
};
