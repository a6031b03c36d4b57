import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { createRawHttpPool } from "./raw-http-client.js";

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
  /**
   * Fixed arrival rate in requests/s (open loop, see runOpenLoop); omitted: as fast as answered (closed loop,
   * autocannon).
   */
  readonly overallRate?: number;
  /** Builds the next request: a fresh path or body, and a fresh Idempotency-Key on every write. */
  readonly next: () => { method: "GET" | "POST"; path: string; body?: string; headers?: Record<string, string> };
  readonly timeoutS?: number;
}

/** Runs the load once and returns what the figures need: autocannon at saturation, runOpenLoop at a fixed rate. */
export const runLoad = async (options: LoadOptions): Promise<LoadResult> => {
  if (options.overallRate !== undefined) return runOpenLoop({ ...options, overallRate: options.overallRate });
  const statusCounts: Record<string, number> = {};
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
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

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * An open-loop load: request i is due at start + i / rate, whatever became of the ones before it, and its
 * latency is counted from when it was due, so a stall shows in full (no coordinated omission). Requests go
 * over up to `connections` keep-alive connections of the raw client; one due while all are busy waits for one,
 * and that wait counts. (autocannon's own rate limit lets each connection send its whole quota for a second at once, then
 * pause: bursts of the saturated load, not a fixed arrival rate.)
 */
const runOpenLoop = async (options: LoadOptions & { overallRate: number }): Promise<LoadResult> => {
  const pool = createRawHttpPool(options.url, options.connections, (options.timeoutS ?? 30) * 1000);
  const statusCounts: Record<string, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  const intervalMs = 1000 / options.overallRate;
  const total = Math.max(1, Math.round(options.overallRate * (options.durationS ?? 10)));
  const send = async (dueAt: number) => {
    const outcome = await pool.send(options.next());
    if ("failed" in outcome) {
      if (outcome.failed === "timeout") timeouts += 1;
      else errors += 1;
      return;
    }
    statusCounts[outcome.status] = (statusCounts[outcome.status] ?? 0) + 1;
    if (outcome.status >= 200 && outcome.status < 300) latencies.push(performance.now() - dueAt);
  };
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
      while (sent < due) inFlight.push(send(started + sent++ * intervalMs));
      if (sent >= total) {
        clearInterval(timer);
        done();
      }
    };
    const timer = setInterval(tick, 1);
    tick();
  });
  await Promise.all(inFlight);
  const durationS = (performance.now() - started) / 1000;
  pool.close();
  latencies.sort((a, b) => a - b);
  const ok = latencies.length;
  return {
    okPerSec: ok / durationS,
    requests: sent,
    ok,
    non2xx: Object.entries(statusCounts).reduce((n, [status, count]) => n + (Number(status) >= 300 ? count : 0), 0),
    errors,
    timeouts,
    statusCounts,
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
    durationS,
  };
};

/** Headers of a write with a fresh Idempotency-Key. */
export const writeHeaders = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  "idempotency-key": randomUUID(),
});
