import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { availabilityResponse, type AvailabilityResponse, type AvailabilityView } from "@inventory/shared";
import type { OfflineJournal } from "./journal-store.js";
import { withProvisional } from "./provisional-view.js";

export const PROVISIONAL_HEADER = "X-Offline-Provisional";

/**
 * The agent's availability reads with its journaled sales applied to its own store's rows until the hub's events
 * show them: the till sees the shelf go down. Such an answer says so (X-Offline-Provisional: true, `provisional` on
 * the row) and carries the ETag of its own body, so it is never confused with the replica's; a 304 the replica gave
 * for a copy that predates pending sales becomes the provisional answer.
 */
export const provisionalReads =
  (
    storeId: string,
    journal: OfflineJournal,
    replica: { store(): { availability(sku: string, storeId?: string): AvailabilityView[] | undefined } },
  ): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if ((c.res.status !== 200 && c.res.status !== 304) || !journal.hasPending()) return;
    let body: AvailabilityResponse | undefined;
    if (c.res.status === 200) body = (await c.res.clone().json()) as AvailabilityResponse;
    else {
      const sku = c.req.param("sku") ?? c.req.query("sku");
      const rows = sku === undefined ? undefined : replica.store().availability(sku, c.req.query("storeId"));
      body = sku === undefined || rows === undefined ? undefined : availabilityResponse(sku, rows);
    }
    if (!body || !Array.isArray(body.perStore)) return;
    const { response, provisional } = withProvisional(body, (row) =>
      row.storeId === storeId ? journal.unseenDelta(row.storeId, row.sku, row.version) : 0,
    );
    if (!provisional) return;
    const text = JSON.stringify(response);
    const etag = `"${createHash("sha1").update(text).digest("hex")}"`;
    const headers = new Headers(c.res.headers);
    headers.set(PROVISIONAL_HEADER, "true");
    headers.set("ETag", etag);
    headers.set("Content-Type", "application/json");
    headers.delete("Content-Length");
    // Hono copies the previous response's headers onto a new one (its ETag and length among them): drop it first.
    c.res = undefined as unknown as Response;
    c.res =
      c.req.header("If-None-Match") === etag ? new Response(null, { status: 304, headers }) : new Response(text, { status: 200, headers });
  };
