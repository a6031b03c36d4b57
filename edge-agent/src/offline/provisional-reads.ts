import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AvailabilityResponse } from "@inventory/shared";
import type { OfflineJournal } from "./journal-store.js";
import { withProvisional } from "./provisional-view.js";

export const PROVISIONAL_HEADER = "X-Offline-Provisional";

/**
 * The agent's availability reads with its journaled sales applied to its own store's rows until the hub's events
 * show them: the till sees the shelf go down. Such an answer says so (X-Offline-Provisional: true, `provisional` on
 * the row) and carries the ETag of its own body, so it is never confused with the replica's. A till that sends
 * If-None-Match with the replica's ETag while sales are pending may still get 304 (its copy predates them).
 */
export const provisionalReads = (storeId: string, journal: OfflineJournal): MiddlewareHandler => async (c, next) => {
  await next();
  if (c.res.status !== 200 || !journal.hasPending()) return;
  const body = (await c.res.clone().json()) as AvailabilityResponse;
  if (!Array.isArray(body.perStore)) return;
  const { response, provisional } = withProvisional(body, (row) => (row.storeId === storeId ? journal.unseenDelta(row.storeId, row.sku, row.version) : 0));
  if (!provisional) return;
  const headers = new Headers(c.res.headers);
  headers.set(PROVISIONAL_HEADER, "true");
  const text = JSON.stringify(response);
  headers.set("ETag", `"${createHash("sha1").update(text).digest("hex")}"`);
  headers.delete("Content-Length");
  c.res = new Response(text, { status: 200, headers });
};
