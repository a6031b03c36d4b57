import type { MiddlewareHandler } from "hono";
import type { Logger } from "./logger.js";
import type { TraceVariables } from "./trace-id.js";

/** One log line per request, with its traceId, status and duration. */
export const requestLog =
  (log: Logger): MiddlewareHandler<{ Variables: TraceVariables }> =>
  async (c, next) => {
    const started = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const fields = { traceId: c.get("traceId"), method: c.req.method, path: c.req.path, status: c.res.status, durationMs };
    if (c.res.status >= 500) log.warn("request", fields);
    else log.debug("request", fields);
  };
