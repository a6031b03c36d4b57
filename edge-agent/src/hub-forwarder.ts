import type { Context } from "hono";
import { failure } from "@inventory/shared";
import { failureResponse, type Logger, type TraceVariables } from "@inventory/platform";
import type { CircuitBreaker } from "./circuit-breaker.js";

/** Request headers a write carries to the hub unchanged; the agent never adds or upgrades credentials. */
const FORWARDED_REQUEST_HEADERS = ["authorization", "idempotency-key", "if-match", "content-type", "accept"];
/** Response headers of the hub's answer that reach the caller. */
const RETURNED_RESPONSE_HEADERS = [
  "content-type",
  "etag",
  "location",
  "retry-after",
  "idempotent-replayed",
  "www-authenticate",
  "x-consistency-token",
];

export interface HubForwarderOptions {
  readonly hubUrl: string;
  readonly timeoutMs: number;
  readonly breaker: CircuitBreaker;
  readonly log: Logger;
  /**
   * What to answer when the write cannot have reached the hub (circuit open, or the connection failed before the
   * request left): by default `refuse`, the 503. The offline sales journal answers here.
   */
  readonly whenUnreachable?: (c: Context<{ Variables: TraceVariables }>, refuse: () => Response) => Promise<Response>;
}

/** Errors that happen before a request leaves the agent: the hub cannot have seen the write. */
const CONNECT_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
const neverSent = (err: unknown): boolean => {
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === "string" && CONNECT_ERRORS.has(code);
};

/**
 * Forwards a write to the hub and returns the hub's answer as it is. When the hub cannot be reached
 * (refused, timed out, or the breaker is open) the answer is 503 with Retry-After: a write is never
 * accepted locally, because only the hub can apply it safely. A request that timed out or lost its
 * connection after leaving may have been applied by the hub, and its 503 says so: the caller's retry with
 * the same Idempotency-Key answers the outcome. While the breaker is open no caller waits
 * on the hub: a background probe of the hub's /health closes it again once the hub answers.
 */
export const forwardToHub = (options: HubForwarderOptions) => {
  const { breaker, log } = options;
  let probing = false;
  const probe = async () => {
    if (probing) return;
    probing = true;
    try {
      while (breaker.state(Date.now()) !== "CLOSED") {
        if (breaker.allow(Date.now())) {
          const healthy = await fetch(new URL("/health", options.hubUrl), {
            signal: AbortSignal.timeout(Math.min(options.timeoutMs, 2000)),
          }).then(
            (r) => r.ok,
            () => false,
          );
          if (healthy) {
            breaker.succeeded();
            log.info("hub reachable again: forwarding writes");
          } else breaker.failed(Date.now());
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      probing = false;
    }
  };

  return async (c: Context<{ Variables: TraceVariables }>): Promise<Response> => {
    const traceId = c.get("traceId");
    const unavailable = (message: string) =>
      failureResponse(c, failure("UNAVAILABLE", message, { retryAfterSeconds: breaker.retryAfterSeconds(Date.now()), dependency: "hub" }));
    const unreachable = (message: string) => {
      const refuse = () => unavailable(message);
      return options.whenUnreachable ? options.whenUnreachable(c, refuse) : refuse();
    };
    if (breaker.state(Date.now()) !== "CLOSED") {
      void probe();
      return unreachable("the central hub is unreachable (circuit open); nothing was changed, retry later");
    }

    const headers = new Headers({ "X-Trace-Id": traceId });
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    const url = new URL(c.req.url);
    let response: Response;
    try {
      const body = await c.req.arrayBuffer();
      response = await fetch(new URL(url.pathname + url.search, options.hubUrl), {
        method: c.req.method,
        headers,
        body: body.byteLength > 0 ? body : undefined,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      breaker.failed(Date.now());
      if (breaker.state(Date.now()) !== "CLOSED") void probe();
      log.warn("write not forwarded: hub unreachable", { traceId, error: err instanceof Error ? err.message : String(err) });
      if (neverSent(err)) return unreachable("the central hub is unreachable (connection failed); nothing was changed, retry later");
      return unavailable(
        `the central hub did not answer (${err instanceof Error && err.name === "TimeoutError" ? "timed out" : "connection lost"}); ` +
          "the write may have been applied: retry with the same Idempotency-Key to learn its outcome",
      );
    }
    breaker.succeeded();
    const returned = new Headers({ "X-Trace-Id": traceId });
    for (const name of RETURNED_RESPONSE_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) returned.set(name, value);
    }
    return new Response(await response.arrayBuffer(), { status: response.status, headers: returned });
  };
};
