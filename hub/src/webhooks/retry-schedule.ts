/** How failed deliveries are retried: exponential backoff, bounded by a window after which the hub gives up. */
export interface RetryPolicy {
  /** Wait after the first failed attempt; it doubles after each further failure. */
  readonly firstDelayMs: number;
  /** The longest wait between two attempts. */
  readonly maxDelayMs: number;
  /** Measured from a delivery's first attempt: a failure past it disables the subscription. */
  readonly windowMs: number;
}

export type AfterFailure = { readonly kind: "retry"; readonly atMs: number } | { readonly kind: "give-up" };

/** The wait before attempt `failedAttempts + 1`: first, 2×first, 4×first, … up to the maximum. */
export const retryDelayMs = (failedAttempts: number, policy: RetryPolicy): number => {
  const doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
  return Math.min(policy.firstDelayMs * 2 ** doublings, policy.maxDelayMs);
};

/**
 * What follows a failed attempt: the time of the next one, or giving up when the window (counted from the
 * first attempt) has run out or would run out before the next attempt. The last retry is moved up to the window's
 * end, so a delivery is always tried once more at the end of its window.
 */
export const afterFailedAttempt = (
  delivery: { readonly failedAttempts: number; readonly firstAttemptAtMs: number },
  nowMs: number,
  policy: RetryPolicy,
): AfterFailure => {
  const windowEndMs = delivery.firstAttemptAtMs + policy.windowMs;
  if (nowMs >= windowEndMs) return { kind: "give-up" };
  return { kind: "retry", atMs: Math.min(nowMs + retryDelayMs(delivery.failedAttempts, policy), windowEndMs) };
};
