import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { failure, failureBody, failureStatus, type Failure } from "@inventory/shared";
import { recordOutcome } from "./command-outcome.js";
import type { Logger } from "./logger.js";

/** The single place where an expected failure becomes an HTTP response. */
export const failureResponse = (c: Context, f: Failure, headers: Record<string, string> = {}) => {
  recordOutcome(c, f.code);
  if (f.code === "UNAVAILABLE" && !headers["Retry-After"]) headers["Retry-After"] = String(f.details?.retryAfterSeconds ?? 1);
  if (f.code === "UNAUTHORIZED") headers["WWW-Authenticate"] = 'Bearer realm="inventory"';
  return c.json(failureBody(f), failureStatus(f) as 400, headers);
};

/**
 * An exception that reaches here was not expected: it is logged with its traceId and answered 500,
 * except for the framework's own body-limit and malformed-request exceptions, which are client errors.
 */
export const onError =
  (log: Logger): ErrorHandler =>
  (err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 413 ? "PAYLOAD_TOO_LARGE" : err.status === 401 ? "UNAUTHORIZED" : "VALIDATION_ERROR";
      return failureResponse(c, failure(code, err.message || "bad request"));
    }
    log.error("unhandled error", { traceId: c.get("traceId" as never), path: c.req.path, err });
    return c.json({ code: "INTERNAL", message: "unexpected error; it has been logged", traceId: c.get("traceId" as never) }, 500);
  };

export const notFound: NotFoundHandler = (c) => failureResponse(c, failure("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`));
