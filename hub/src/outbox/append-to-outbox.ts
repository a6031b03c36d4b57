import { sql } from "drizzle-orm";
import type { EventEnvelope } from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import { outbox } from "../db/schema.js";

export const OUTBOX_CHANNEL = "inventory_outbox";

export interface OutboxEntry {
  readonly topic: string;
  readonly key: string;
  readonly event: EventEnvelope;
}

/**
 * Writes events in the caller's transaction and wakes the relay when that transaction commits
 * (PostgreSQL delivers NOTIFY only on commit). Idempotent on eventId.
 */
export const appendToOutbox = async (tx: Transaction, entries: readonly OutboxEntry[]): Promise<void> => {
  if (entries.length === 0) return;
  // One statement with six array parameters, however many events: a reconciliation writes thousands.
  const column = <T>(pick: (e: OutboxEntry) => T) => sql.param(entries.map(pick));
  // The notification rides in the same statement: a statement in WITH runs exactly once, read or not.
  await tx.execute(sql`
    WITH appended AS (
      INSERT INTO ${outbox} (event_id, topic, message_key, event, store_id, sku)
      SELECT * FROM unnest(
        ${column((e) => e.event.eventId)}::uuid[], ${column((e) => e.topic)}::text[], ${column((e) => e.key)}::text[],
        ${column((e) => JSON.stringify(e.event))}::jsonb[], ${column((e) => text(e.event.payload.storeId))}::text[],
        ${column((e) => text(e.event.payload.sku))}::text[])
      ON CONFLICT (event_id) DO NOTHING)
    SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
};

const text = (value: unknown) => (typeof value === "string" ? value : null);
