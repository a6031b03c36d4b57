import type { IncomingMessage } from "node:http";
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import { failure, isFailure, stockStreamQuerySchema, type Principal } from "@inventory/shared";
import { failureResponse } from "@inventory/platform";
import { parseQuery } from "@inventory/platform";
import { requestHeader } from "@inventory/platform";
import type { LoggedChange, StockChangeLog } from "./stock-change-log.js";

export interface StockStreamOptions {
  /** A comment line this often keeps proxies and clients from taking a quiet stream for a dead one. Default 15000. */
  readonly heartbeatMs?: number;
  /** Streams one caller (a token's subject, or else an address) may hold open at once. Default 5. */
  readonly maxStreamsPerCaller?: number;
}

const callerOf = (c: Context): string => {
  const principal = (c.get as (key: string) => unknown)("principal") as Principal | undefined;
  if (principal) return `sub:${principal.subject}`;
  return `ip:${(c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? "unknown"}`;
};

/**
 * `GET /v1/stream/stock`: server-sent events, one per stock change with the item's state after it, filtered by
 * `sku` and `storeId`. Each event's `id:` resumes the stream with `Last-Event-ID` without a gap or a duplicate
 * while this process still keeps the changes after it; otherwise the stream opens with a `reset` event, and the
 * client re-reads what it shows before following the changes.
 */
export const stockStreamRoute = (changes: StockChangeLog, options: StockStreamOptions = {}) => {
  const app = new Hono();
  const open = new Map<string, number>();
  const maxPerCaller = options.maxStreamsPerCaller ?? 5;
  const heartbeatMs = options.heartbeatMs ?? 15_000;

  app.get("/v1/stream/stock", (c) => {
    const query = parseQuery(c, stockStreamQuerySchema);
    if (isFailure(query)) return failureResponse(c, query);
    const caller = callerOf(c);
    const held = open.get(caller) ?? 0;
    if (held >= maxPerCaller) {
      return failureResponse(c, failure("RATE_LIMITED", `at most ${maxPerCaller} open streams per caller; close one first`), {
        "Retry-After": "5",
      });
    }
    open.set(caller, held + 1);
    const release = () => {
      const n = (open.get(caller) ?? 1) - 1;
      if (n <= 0) open.delete(caller);
      else open.set(caller, n);
    };
    const wanted = (l: LoggedChange) =>
      (query.sku === undefined || l.change.sku === query.sku) && (query.storeId === undefined || l.change.storeId === query.storeId);
    const lastEventId = requestHeader(c, "last-event-id");
    c.header("Cache-Control", "no-store");
    c.header("X-Accel-Buffering", "no");

    return streamSSE(c, async (stream) => {
      const queue: LoggedChange[] = [];
      let wake: (() => void) | undefined;
      let ended = false;
      const end = () => {
        ended = true;
        wake?.();
      };
      // Subscribed in the same turn as the backlog is taken: nothing falls between them, nothing comes twice.
      const unsubscribe = changes.subscribe((l) => {
        if (!wanted(l)) return;
        queue.push(l);
        wake?.();
      });
      const unClose = changes.onClose(end);
      const resumed = lastEventId === undefined ? undefined : changes.resume(lastEventId);
      const heartbeat = setInterval(() => void stream.write(": heartbeat\n\n").catch(end), heartbeatMs);
      stream.onAbort(end);
      try {
        await stream.write(": stock changes\n\n");
        if (resumed?.kind === "reset") await stream.writeSSE({ event: "reset", data: JSON.stringify({ reason: resumed.reason }) });
        const backlog = resumed?.kind === "from" ? resumed.backlog.filter(wanted) : [];
        queue.unshift(...backlog);
        while (!ended && !stream.aborted) {
          const next = queue.shift();
          if (next === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          await stream.writeSSE({ id: next.id, event: "stock", data: JSON.stringify(next.change) });
        }
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        unClose();
        release();
      }
    });
  });
  return app;
};
