import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Counter, Histogram } from "prom-client";
import type { Metrics } from "../metrics.js";
import type { Logger } from "./logger.js";
import { adoptTraceId, type TraceVariables } from "./trace-id.js";

export interface FinishedRequest {
  readonly traceId: string;
  readonly method: string;
  /** The route pattern, so label values stay few. */
  readonly route: string;
  readonly path: string;
  readonly status: number;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
}

/** What every request is counted, timed and logged by, whichever path answered it. */
export interface RequestObserver {
  finished(request: FinishedRequest): void;
}

/**
 * Counts and times each request by method, route pattern and status, and logs it with its traceId (at debug,
 * or at warn for a 5xx). The labelled children are looked up once per label set rather than hashed per request.
 */
export const requestObserver = (log: Logger, metrics: Metrics): RequestObserver => {
  const counters = new Map<string, Counter.Internal>();
  const timers = new Map<string, Histogram.Internal<string>>();
  return {
    finished: ({ traceId, method, route, path, status, startedAt }) => {
      const elapsedMs = performance.now() - startedAt;
      const timerKey = `${method} ${route}`;
      let timer = timers.get(timerKey);
      if (!timer) {
        timer = metrics.httpDuration.labels({ method, route });
        timers.set(timerKey, timer);
      }
      timer.observe(elapsedMs / 1000);
      const counterKey = `${timerKey} ${status}`;
      let counter = counters.get(counterKey);
      if (!counter) {
        counter = metrics.httpRequests.labels({ method, route, status: String(status) });
        counters.set(counterKey, counter);
      }
      counter.inc();
      const fields = { traceId, method, path, status, durationMs: Math.round(elapsedMs * 10) / 10 };
      if (status >= 500) log.warn("request", fields);
      else log.debug("request", fields);
    },
  };
};

/** The routed path's side of the observer: takes or makes the trace id, echoes it, and reports the finished request. */
export const observeRequests =
  (observer: RequestObserver): MiddlewareHandler<{ Variables: TraceVariables }> =>
  async (c, next) => {
    const startedAt = performance.now();
    const traceId = adoptTraceId(c);
    await next();
    observer.finished({ traceId, method: c.req.method, route: routePath(c, -1), path: c.req.path, status: c.res.status, startedAt });
  };
