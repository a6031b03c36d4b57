import type pg from "pg";
import type { Logger } from "@inventory/platform";
import { deleteExpiredRows, FINISHED_WEBHOOK_DELIVERIES, IDEMPOTENCY_RECORDS, PUBLISHED_OUTBOX_ROWS } from "./delete-expired-rows.js";

export interface RetentionOptions {
  readonly pool: pg.Pool;
  readonly log: Logger;
  /** How long a stored answer is replayed for its Idempotency-Key. */
  readonly idempotencyRetentionMs: number;
  /** How long a published event stays in the outbox, and so in `GET /v1/events`. */
  readonly outboxRetentionMs: number;
  /** How long a delivered or failed webhook delivery stays listed after its last attempt. */
  readonly webhookDeliveryRetentionMs: number;
  /** Time between sweeps. */
  readonly sweepIntervalMs: number;
  /** Rows per DELETE statement. */
  readonly deleteBatchSize: number;
  readonly now?: () => Date;
}

export interface RetentionSweeps {
  /** Runs one sweep now (also used by tests); answers the rows deleted from each table. */
  sweep(): Promise<{ idempotencyRecords: number; outboxRows: number; webhookDeliveries: number }>;
  stop(): Promise<void>;
}

/** Batches per table per sweep: at the default 1,000 rows, up to 100,000 rows a minute per table. */
const MAX_BATCHES_PER_SWEEP = 100;

/**
 * Keeps the tables that would otherwise grow forever at their promised size: idempotency records past
 * their window, outbox rows published longer ago than the events timeline promises, and finished webhook deliveries. Every hub runs it;
 * their deletes skip each other's rows.
 */
export const startRetentionSweeps = (options: RetentionOptions): RetentionSweeps => {
  const now = options.now ?? (() => new Date());
  const batch = { batchSize: options.deleteBatchSize, maxBatches: MAX_BATCHES_PER_SWEEP };
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();

  const sweep = async () => {
    const at = now().getTime();
    const idempotencyRecords = await deleteExpiredRows(
      options.pool,
      IDEMPOTENCY_RECORDS,
      new Date(at - options.idempotencyRetentionMs),
      batch,
    );
    const outboxRows = await deleteExpiredRows(options.pool, PUBLISHED_OUTBOX_ROWS, new Date(at - options.outboxRetentionMs), batch);
    const webhookDeliveries = await deleteExpiredRows(
      options.pool,
      FINISHED_WEBHOOK_DELIVERIES,
      new Date(at - options.webhookDeliveryRetentionMs),
      batch,
    );
    if (idempotencyRecords + outboxRows + webhookDeliveries > 0)
      options.log.info("retention sweep deleted expired rows", { idempotencyRecords, outboxRows, webhookDeliveries, traceId: "retention" });
    return { idempotencyRecords, outboxRows, webhookDeliveries };
  };

  const tick = () => {
    current = sweep()
      .catch((err: unknown) => options.log.warn("retention sweep failed; will retry", { error: String(err), traceId: "retention" }))
      .finally(() => {
        if (running) timer = setTimeout(tick, options.sweepIntervalMs);
      });
  };
  timer = setTimeout(tick, options.sweepIntervalMs);

  return {
    sweep: () => {
      const run = sweep();
      current = run.catch(() => undefined);
      return run;
    },
    stop: async () => {
      running = false;
      clearTimeout(timer);
      await current;
    },
  };
};
