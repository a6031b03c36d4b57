/**
 * How long the relay waits before trying a batch again after its `attempt`-th consecutive failure, or
 * `"isolate"`: stop resending it whole and send its messages one by one, so that the one at fault is
 * found and handed to the poison policy. A failure Kafka calls permanent is isolated at once, whatever this says.
 */
export type RetryPolicy = (attempt: number, error: unknown) => number | "isolate";

/** Doubles the wait from `initialMs` up to `maxMs`, and never isolates: a Kafka that is away is waited out. */
export const exponentialBackoff =
  (options: { initialMs?: number; maxMs?: number } = {}): RetryPolicy =>
  (attempt) =>
    Math.min((options.initialMs ?? 100) * 2 ** Math.max(0, attempt - 1), options.maxMs ?? 5000);
