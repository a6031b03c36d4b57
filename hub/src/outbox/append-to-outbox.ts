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
  await tx
    .insert(outbox)
    .values(entries.map((e) => ({ eventId: e.event.eventId, topic: e.topic, messageKey: e.key, event: e.event })))
    .onConflictDoNothing({ target: outbox.eventId });
  await tx.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
};
