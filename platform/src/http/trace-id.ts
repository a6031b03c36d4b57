import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { requestHeader } from "./request-header.js";
import { setResponseHeader } from "./response-header.js";

export const TRACE_HEADER = "X-Trace-Id";
/** A trace id travels in headers, logs and events: a short ASCII token. */
export const TRACE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export type TraceVariables = { traceId: string };

/** The caller's X-Trace-Id when it is well formed, otherwise a new one. */
export const traceIdFrom = (incoming: string | undefined): string =>
  incoming && TRACE_ID_PATTERN.test(incoming) ? incoming : randomUUID();

/** Takes the caller's X-Trace-Id when it is well formed, otherwise makes one; keeps it on the context and echoes it. */
export const adoptTraceId = (c: Context<{ Variables: TraceVariables }>): string => {
  const id = traceIdFrom(requestHeader(c, "x-trace-id"));
  c.set("traceId", id);
  setResponseHeader(c, TRACE_HEADER, id);
  return id;
};

/** The trace id alone, as middleware (see adoptTraceId). */
export const traceId = (): MiddlewareHandler<{ Variables: TraceVariables }> => async (c, next) => {
  adoptTraceId(c);
  await next();
};
