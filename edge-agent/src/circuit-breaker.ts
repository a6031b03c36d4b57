/**
 * Stops an agent from waiting on a hub it cannot reach. After `failureThreshold` consecutive failures the
 * breaker opens and calls are refused at once for `openMs`; then one trial call is let through (half-open),
 * whose outcome closes or reopens it. Pure: the caller passes the time.
 */
export interface CircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly openMs: number;
}

export type BreakerState = "CLOSED" | "OPEN" | "HALF_OPEN";

export interface CircuitBreaker {
  /** May a call go out now? In HALF_OPEN only one trial at a time. */
  allow(now: number): boolean;
  succeeded(): void;
  failed(now: number): void;
  state(now: number): BreakerState;
  /** Seconds a refused caller should wait, for Retry-After. */
  retryAfterSeconds(now: number): number;
}

export const createCircuitBreaker = (options: CircuitBreakerOptions): CircuitBreaker => {
  let failures = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;
  const state = (now: number): BreakerState => (openedAt === null ? "CLOSED" : now - openedAt >= options.openMs ? "HALF_OPEN" : "OPEN");
  return {
    allow: (now) => {
      const s = state(now);
      if (s === "CLOSED") return true;
      if (s === "OPEN" || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    succeeded: () => {
      failures = 0;
      openedAt = null;
      trialInFlight = false;
    },
    failed: (now) => {
      failures += 1;
      trialInFlight = false;
      if (openedAt !== null || failures >= options.failureThreshold) openedAt = now;
    },
    state,
    retryAfterSeconds: (now) => (openedAt === null ? 1 : Math.max(1, Math.ceil((options.openMs - (now - openedAt)) / 1000))),
  };
};
