import { randomUUID } from "node:crypto";
import autocannon from "autocannon";

export interface LoadResult {
  /** 2xx answers per second over the run. */
  readonly okPerSec: number;
  readonly requests: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCounts: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly durationS: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationS?: number;
  /** Total requests, instead of a duration (one per connection for the flash sale). */
  readonly amount?: number;
  /** Fixed arrival rate in requests/s over all connections (open loop); omitted: as fast as answered (closed loop). */
  readonly overallRate?: number;
  /** Builds the next request: a fresh path or body, and a fresh Idempotency-Key on every write. */
  readonly next: () => { method: "GET" | "POST"; path: string; body?: string; headers?: Record<string, string> };
  readonly timeoutS?: number;
}

/** Runs autocannon once and returns what the figures need. Latencies are autocannon's, corrected for coordinated omission. */
export const runLoad = async (options: LoadOptions): Promise<LoadResult> => {
  const statusCounts: Record<string, number> = {};
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
    ...(options.overallRate !== undefined ? { overallRate: Math.max(1, Math.round(options.overallRate)) } : {}),
    timeout: options.timeoutS ?? 30,
    requests: [
      {
        setupRequest: (req) => {
          const r = options.next();
          return {
            ...req,
            method: r.method,
            path: r.path,
            headers: { ...r.headers, ...(r.body !== undefined ? { "content-type": "application/json" } : {}) },
            ...(r.body !== undefined ? { body: r.body } : {}),
          };
        },
        onResponse: (status) => {
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
        },
      },
    ],
  });
  const ok = result["2xx"];
  const durationS = result.duration;
  return {
    okPerSec: ok / durationS,
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    durationS,
  };
};

/** Headers of a write with a fresh Idempotency-Key. */
export const writeHeaders = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  "idempotency-key": randomUUID(),
});
