import type { MiddlewareHandler } from "hono";
import { LAG_HEADER } from "@inventory/read-model";
import type { HubForwarderOptions } from "./hub-forwarder.js";

/** Reads of records an agent may not hold: another store's reservation or transfer, or one its feed has not reached yet. */
export const FORWARDED_READ_PATHS = ["/v1/reservations/:reservationId", "/v1/transfers/:transferId"] as const;

const REQUEST_HEADERS = ["authorization", "accept", "x-trace-id"];
const RESPONSE_HEADERS = ["content-type", "etag", LAG_HEADER.toLowerCase()];
/** A read waits on the hub at most this long before the agent gives its own answer. */
const MAX_READ_WAIT_MS = 2000;

/**
 * When the replica does not hold the record asked for, asks the hub before answering 404: the hub's replica
 * holds every store's, so the caller never gets a 404 for a record that exists because this agent's replica
 * is behind or holds only what concerns its store. The hub's answer (its body, ETag and its own
 * X-Projection-Lag-ms) is returned when it found the record; otherwise, or while the hub is unreachable
 * (breaker open, timeout), the agent's own 404 stands. Never touches the write breaker: reads do not trip it.
 */
export const forwardMissingReads =
  (options: HubForwarderOptions): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (c.res.status !== 404 || options.breaker.state(Date.now()) !== "CLOSED") return;
    const url = new URL(c.req.path, options.hubUrl);
    url.search = new URL(c.req.url).search;
    const headers: Record<string, string> = {};
    for (const name of REQUEST_HEADERS) {
      const value = c.req.header(name);
      if (value !== undefined) headers[name] = value;
    }
    const answer = await fetch(url, { headers, signal: AbortSignal.timeout(Math.min(options.timeoutMs, MAX_READ_WAIT_MS)) }).then(
      async (res) => (res.status === 200 ? { res, body: await res.arrayBuffer() } : undefined),
      (err: unknown) => {
        options.log.warn("hub could not answer a read the replica lacks; answering from the replica", {
          path: c.req.path,
          error: String(err),
          traceId: c.req.header("x-trace-id"),
        });
        return undefined;
      },
    );
    if (!answer) return;
    const kept = new Headers();
    for (const name of RESPONSE_HEADERS) {
      const value = answer.res.headers.get(name);
      if (value !== null) kept.set(name, value);
    }
    // Cleared first: Hono's setter would otherwise carry the replica's 404 headers (its lag) onto the hub's answer.
    c.res = undefined;
    c.res = new Response(answer.body, { status: 200, headers: kept });
  };
