import { describe, expect, it } from "vitest";
import { afterFailedAttempt, retryDelayMs } from "./retry-schedule.js";

const policy = { firstDelayMs: 1000, maxDelayMs: 60_000, windowMs: 3_600_000 };

describe("webhook retry schedule", () => {
  it("given failures, then the wait doubles from the first delay up to the maximum", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => retryDelayMs(n, policy))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it("given a failure inside the window, then the next attempt is after the backoff", () => {
    expect(afterFailedAttempt({ failedAttempts: 3, firstAttemptAtMs: 0 }, 10_000, policy)).toEqual({ kind: "retry", atMs: 14_000 });
  });

  it("given a backoff that reaches past the window, then the last attempt is at the window's end", () => {
    expect(afterFailedAttempt({ failedAttempts: 9, firstAttemptAtMs: 0 }, 3_590_000, policy)).toEqual({
      kind: "retry",
      atMs: 3_600_000,
    });
  });

  it("given a failure at or past the window's end, then it gives up", () => {
    expect(afterFailedAttempt({ failedAttempts: 10, firstAttemptAtMs: 0 }, 3_600_000, policy)).toEqual({ kind: "give-up" });
    expect(afterFailedAttempt({ failedAttempts: 1, firstAttemptAtMs: 0 }, 9_999_999, policy)).toEqual({ kind: "give-up" });
  });
});
