import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adjustStock, type Principal } from "@inventory/shared";
import { silentLogger } from "@inventory/platform";
import type { Database } from "../db/database.js";
import { openMigratedScratchDatabase, seedFreshItem } from "../../test/scratch-database.js";
import { changeStockItem } from "../stock/change-stock-item.js";
import { runCommandBatch, type BatchOutcome } from "../command-pipeline/command-batch.js";
import { readEventTimeline } from "../operations/event-timeline.js";
import { deleteExpiredRows, FINISHED_WEBHOOK_DELIVERIES, IDEMPOTENCY_RECORDS, PUBLISHED_OUTBOX_ROWS } from "./delete-expired-rows.js";
import { startRetentionSweeps } from "./start-retention-sweeps.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const principal: Principal = { subject: "till-1", roles: ["clerk"], stores: ["S1"] };
let pool: pg.Pool;
let db: Database;
let sku: string;

const onHand = async () =>
  Number((await pool.query("SELECT on_hand FROM stock_items WHERE store_id = 'S1' AND sku = $1", [sku])).rows[0]?.on_hand);
const kind = (o: BatchOutcome) =>
  o.kind === "reply" ? `${o.reply.status}${o.replayed ? " replayed" : ""}` : o.kind === "refused" ? o.failure.code : o.kind;
/** The same adjustment under one key, run as if the clock read `at`. */
const adjustAt = async (at: Date, key: string, delta: number, fingerprint = "fp") => {
  const [outcome] = await runCommandBatch({ db, now: () => at, newId: randomUUID, idempotencyRetentionMs: DAY_MS }, [
    {
      request: { principal, idempotency: { scope: principal.subject, key, fingerprint }, traceId: `trace-${key}` },
      command: changeStockItem("S1", sku, (item) => adjustStock(item, { delta, reason: "manual", expectedVersion: undefined })),
    },
  ]);
  return kind(outcome!);
};
const count = async (query: string, params: unknown[] = []) => Number((await pool.query(query, params)).rows[0].n);
/** Outbox rows for the test's SKU, published (log position and time) or not. */
const insertOutboxRows = async (rows: { publishedAt: Date | null }[]) => {
  for (const r of rows) {
    await pool.query(
      `INSERT INTO outbox (event_id, topic, message_key, event, store_id, sku, published_at, log_position)
       VALUES ($1, 'stock.events', $2, $3, 'S1', $4, $5, CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE nextval('event_log_position') END)`,
      [randomUUID(), `S1:${sku}`, JSON.stringify({ eventId: randomUUID(), occurredAt: new Date().toISOString() }), sku, r.publishedAt],
    );
  }
};

beforeAll(async () => {
  ({ pool, db } = await openMigratedScratchDatabase("retention"));
});
afterAll(async () => {
  await pool?.end();
});
beforeEach(async () => {
  sku = await seedFreshItem(pool);
  await pool.query("DELETE FROM outbox");
});

describe("idempotency records expire after their window", () => {
  it("given a stored answer, when the key is retried inside the window it is replayed, and after it the retry is a new request", async () => {
    const t0 = new Date("2026-12-01T08:00:00Z");
    expect(await adjustAt(t0, "k", 1)).toBe("202");
    expect(await adjustAt(new Date(t0.getTime() + DAY_MS - 1000), "k", 1)).toBe("202 replayed");
    // Inside the window a different request under the key is refused; after it, the key is free again.
    expect(await adjustAt(new Date(t0.getTime() + HOUR_MS), "k", 5, "another request")).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await onHand()).toBe(11);
    const later = new Date(t0.getTime() + DAY_MS + 1000);
    expect(await adjustAt(later, "k", 5, "another request")).toBe("202");
    expect(await onHand()).toBe(16);
    // The new answer replaced the expired one (not yet swept) and is the one replayed from now on.
    expect(await adjustAt(new Date(later.getTime() + 1000), "k", 5, "another request")).toBe("202 replayed");
    const stored = (await pool.query("SELECT fingerprint, created_at FROM idempotency_records WHERE key = 'k'")).rows;
    expect(stored).toEqual([{ fingerprint: "another request", created_at: later }]);
    expect(await onHand()).toBe(16);
  });

  it("given records on both sides of the window, when the sweep runs, then only the expired ones are deleted", async () => {
    const now = new Date();
    const ages = [DAY_MS + 60_000, DAY_MS + 1, DAY_MS - 60_000, 0];
    for (const [i, age] of ages.entries()) {
      await pool.query(
        "INSERT INTO idempotency_records (scope, key, fingerprint, status_code, response, created_at) VALUES ('s', $1, 'f', 202, '{}', $2)",
        [`key-${i}`, new Date(now.getTime() - age)],
      );
    }
    const sweeps = startRetentionSweeps({
      pool,
      log: silentLogger,
      idempotencyRetentionMs: DAY_MS,
      outboxRetentionMs: 7 * DAY_MS,
      webhookDeliveryRetentionMs: 7 * DAY_MS,
      sweepIntervalMs: 3_600_000,
      deleteBatchSize: 1000,
      now: () => now,
    });
    try {
      expect(await sweeps.sweep()).toEqual({ idempotencyRecords: 2, outboxRows: 0, webhookDeliveries: 0 });
    } finally {
      await sweeps.stop();
    }
    expect((await pool.query("SELECT key FROM idempotency_records ORDER BY key")).rows.map((r) => r.key)).toEqual(["key-2", "key-3"]);
  });
});

describe("published outbox rows are kept as long as the events timeline promises", () => {
  it("given published rows older than the window and unpublished old rows, when the sweep runs in small batches, then only the old published rows go and the timeline serves the rest in order", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 8 * DAY_MS);
    const recent = new Date(now.getTime() - DAY_MS);
    await insertOutboxRows([
      ...Array.from({ length: 25 }, () => ({ publishedAt: old })),
      ...Array.from({ length: 5 }, () => ({ publishedAt: recent })),
    ]);
    // Never published (Kafka was away for 8 days): kept however old, the relay still has to send them.
    await pool.query("UPDATE outbox SET created_at = $1 WHERE published_at IS NULL", [old]);
    await insertOutboxRows([{ publishedAt: null }, { publishedAt: null }]);
    await pool.query("UPDATE outbox SET created_at = $1 WHERE published_at IS NULL", [old]);

    const deleted = await deleteExpiredRows(pool, PUBLISHED_OUTBOX_ROWS, new Date(now.getTime() - 7 * DAY_MS), {
      batchSize: 4,
      maxBatches: 100,
    });
    expect(deleted).toBe(25);
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL")).toBe(2);
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE published_at IS NOT NULL")).toBe(5);
    const page = await readEventTimeline(db, { sku, limit: 10 });
    expect(page.items).toHaveLength(5);
    expect(page.hasMore).toBe(false);
  });

  it("given an expired row another transaction holds, when the sweep runs, then it skips that row without waiting and deletes it on a later sweep", async () => {
    const old = new Date(Date.now() - 8 * DAY_MS);
    await insertOutboxRows(Array.from({ length: 6 }, () => ({ publishedAt: old })));
    const cutoff = new Date(Date.now() - 7 * DAY_MS);
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM outbox WHERE sku = $1 ORDER BY id LIMIT 1 FOR UPDATE", [sku]);
      const started = performance.now();
      expect(await deleteExpiredRows(pool, PUBLISHED_OUTBOX_ROWS, cutoff, { batchSize: 2, maxBatches: 100 })).toBe(5);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
    expect(await deleteExpiredRows(pool, PUBLISHED_OUTBOX_ROWS, cutoff, { batchSize: 2, maxBatches: 100 })).toBe(1);
    expect(await count("SELECT count(*)::int AS n FROM outbox")).toBe(0);
  });

  it("given more expired rows than one sweep's batches, when it runs, then it stops at its bound and the next sweep goes on", async () => {
    const old = new Date(Date.now() - 2 * DAY_MS);
    for (let i = 0; i < 30; i++) {
      await pool.query(
        "INSERT INTO idempotency_records (scope, key, fingerprint, status_code, response, created_at) VALUES ('s', $1, 'f', 202, '{}', $2)",
        [`b-${i}`, old],
      );
    }
    const cutoff = new Date(Date.now() - DAY_MS);
    expect(await deleteExpiredRows(pool, IDEMPOTENCY_RECORDS, cutoff, { batchSize: 7, maxBatches: 2 })).toBe(14);
    expect(await deleteExpiredRows(pool, IDEMPOTENCY_RECORDS, cutoff, { batchSize: 7, maxBatches: 10 })).toBe(16);
    expect(await count("SELECT count(*)::int AS n FROM idempotency_records")).toBe(0);
  });
});

describe("finished webhook deliveries are kept for the window after their last attempt", () => {
  it("given old delivered, failed and pending deliveries, when the sweep runs, then the old finished ones go and every pending one stays", async () => {
    const webhookId = randomUUID();
    await pool.query(
      `INSERT INTO webhook_subscriptions (webhook_id, url, event_types, secret, status, created_at, created_by)
       VALUES ($1, 'https://shop.example.com/hooks', '{StockAdjusted}', 'whsec_AAAA', 'ACTIVE', now(), 'op')`,
      [webhookId],
    );
    const now = Date.now();
    const rows: [string, number][] = [
      ["DELIVERED", 8 * DAY_MS],
      ["FAILED", 8 * DAY_MS],
      ["PENDING", 8 * DAY_MS],
      ["DELIVERED", DAY_MS],
      ["FAILED", DAY_MS],
    ];
    for (const [status, age] of rows) {
      await pool.query(
        `INSERT INTO webhook_deliveries (delivery_id, webhook_id, event_id, event_type, item_key, body, status, last_attempt_at)
         VALUES ($1, $2, $3, 'StockAdjusted', 'S1:A1', '{}', $4, $5)`,
        [randomUUID(), webhookId, randomUUID(), status, new Date(now - age)],
      );
    }
    const deleted = await deleteExpiredRows(pool, FINISHED_WEBHOOK_DELIVERIES, new Date(now - 7 * DAY_MS), {
      batchSize: 1,
      maxBatches: 100,
    });
    expect(deleted).toBe(2);
    const left = await pool.query("SELECT status FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq", [webhookId]);
    expect(left.rows.map((r) => r.status)).toEqual(["PENDING", "DELIVERED", "FAILED"]);
  });
});
