import type pg from "pg";

/** A table whose old rows go, and the timestamp column that says how old a row is. */
export interface ExpiringRows {
  readonly table: "idempotency_records" | "outbox" | "webhook_deliveries";
  readonly timestampColumn: "created_at" | "published_at" | "last_attempt_at";
  /** Rows that must stay whatever their age. */
  readonly keep?: string;
}

export const IDEMPOTENCY_RECORDS: ExpiringRows = { table: "idempotency_records", timestampColumn: "created_at" };
/** Only published rows have a `published_at`, so an unpublished event is never deleted however old. */
export const PUBLISHED_OUTBOX_ROWS: ExpiringRows = { table: "outbox", timestampColumn: "published_at" };
/** Webhook deliveries that are over (delivered or failed); a pending one stays however old. */
export const FINISHED_WEBHOOK_DELIVERIES: ExpiringRows = {
  table: "webhook_deliveries",
  timestampColumn: "last_attempt_at",
  keep: "status = 'PENDING'",
};

/**
 * Deletes rows older than `cutoff`, at most `batchSize` per statement, each statement its own transaction:
 * no lock is held longer than one batch, and rows another hub's sweep is deleting are skipped, not waited for.
 * Answers how many rows went. Stops after `maxBatches` so one sweep never runs unbounded.
 */
export const deleteExpiredRows = async (
  pool: pg.Pool,
  rows: ExpiringRows,
  cutoff: Date,
  options: { batchSize: number; maxBatches: number },
): Promise<number> => {
  // Table, column and condition come from the constants above, never from input.
  const keep = rows.keep ? ` AND NOT (${rows.keep})` : "";
  const statement = `DELETE FROM ${rows.table} WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM ${rows.table} WHERE ${rows.timestampColumn} < $1${keep} LIMIT $2 FOR UPDATE SKIP LOCKED))`;
  let deleted = 0;
  for (let n = 0; n < options.maxBatches; n++) {
    const result = await pool.query(statement, [cutoff, options.batchSize]);
    deleted += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < options.batchSize) break;
  }
  return deleted;
};
