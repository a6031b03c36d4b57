import { and, asc, eq, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import { encodeEventCursor, type EventEnvelope, type EventTimelineQuery } from "@inventory/shared";
import type { Database } from "../db/database.js";
import { outbox } from "../db/schema.js";

export interface EventTimelinePage {
  items: EventEnvelope[];
  /** Pass back as `cursor` to continue after this page, also to follow the log as it grows. */
  nextCursor: string | null;
  /** More matching events were already there when this page was read. */
  hasMore: boolean;
}

/**
 * The hub's event log in the order the relay published it (for any one item, its commit order), filtered
 * by store, SKU and time. Only published events are listed, so a page never shows an event and later
 * slots an older one before it.
 */
export const readEventTimeline = async (db: Database, query: EventTimelineQuery): Promise<EventTimelinePage> => {
  const filters: SQL[] = [isNotNull(outbox.logPosition)];
  if (query.cursor !== undefined) filters.push(gt(outbox.logPosition, query.cursor));
  if (query.storeId !== undefined) filters.push(eq(outbox.storeId, query.storeId));
  if (query.sku !== undefined) filters.push(eq(outbox.sku, query.sku));
  if (query.since !== undefined) filters.push(sql`(${outbox.event}->>'occurredAt')::timestamptz >= ${query.since}::timestamptz`);
  const rows = await db
    .select({ position: outbox.logPosition, event: outbox.event })
    .from(outbox)
    .where(and(...filters))
    .orderBy(asc(outbox.logPosition))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => r.event as EventEnvelope),
    nextCursor: last?.position ? encodeEventCursor(last.position) : query.cursor ? encodeEventCursor(query.cursor) : null,
    hasMore: rows.length > query.limit,
  };
};
