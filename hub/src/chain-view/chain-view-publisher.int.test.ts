import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kafka } from "kafkajs";
import { chainViewEntrySchema, decodeChainViewItem, encodeChainViewItem, type ChainViewItem } from "@inventory/shared";
import { createKafka, createKafkaPublisher, ensureTopics, readTopicToEnd, silentLogger, type MessagePublisher } from "@inventory/platform";
import { createPool } from "../db/database.js";
import { runMigrations } from "../db/migrate.js";
import { createScratchDatabase } from "../../test/scratch-database.js";
import { flushChainView } from "./publish-chain-view.js";

let pool: pg.Pool;
let kafka: Kafka;
let publisher: MessagePublisher;
const topic = `cv${randomBytes(4).toString("hex")}.availability.latest`;
const flush = (overrides: { minIntervalMs?: number; maxEventsPerFlush?: number } = {}) =>
  flushChainView({
    pool,
    publisher,
    topic,
    maxEventsPerFlush: overrides.maxEventsPerFlush ?? 1000,
    minIntervalMs: overrides.minIntervalMs ?? 0,
  });

/** Every record on the topic, in offset order per partition: items decoded from their compact form. */
const entries = async () =>
  (await readTopicToEnd(kafka, topic)).map((m) => {
    const key = m.key!.toString();
    const raw: unknown = key.startsWith("#") ? JSON.parse(m.value!.toString()) : m.value;
    return {
      key,
      raw,
      headers: m.headers,
      entry: key.startsWith("#") ? chainViewEntrySchema.parse(raw) : decodeChainViewItem(key, m.value),
    };
  });
/** The stock item records on the topic. */
const records = async () =>
  (await entries()).filter((e) => !e.key.startsWith("#")).map((e) => ({ key: e.key, record: e.entry as ChainViewItem }));
const latestByKey = (all: { key: string; record: ChainViewItem }[]) => new Map(all.map((r) => [r.key, r.record]));

/** A committed stock change (the item's row) and its published event, as the relay leaves it in the outbox. */
const published = async (storeId: string, sku: string, version: number, onHand: number) => {
  await pool.query(
    `INSERT INTO stock_items (store_id, sku, on_hand, reserved, in_transit, version, updated_at)
     VALUES ($1, $2, $3, 1, 0, $4, $5)
     ON CONFLICT (store_id, sku) DO UPDATE SET on_hand = excluded.on_hand, reserved = 1, in_transit = 0, version = excluded.version,
       updated_at = excluded.updated_at`,
    [storeId, sku, onHand, version, new Date(Date.UTC(2026, 11, 1, 12, 0, version)).toISOString()],
  );
  const event = {
    eventId: randomUUID(),
    eventType: "StockAdjusted",
    eventVersion: 1,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 12, 0, version)).toISOString(),
    aggregate: { type: "stock-item", id: `${storeId}:${sku}`, version },
    payload: { storeId, sku, onHand, reserved: 1, inTransit: 0, delta: 1, reason: "manual" },
    traceId: "t",
  };
  await pool.query(
    `INSERT INTO outbox (event_id, topic, message_key, event, store_id, sku, published_at, log_position)
     VALUES ($1, 'stock.events', $2, $3, $4, $5, now(), nextval('event_log_position'))`,
    [event.eventId, `${storeId}:${sku}`, JSON.stringify(event), storeId, sku],
  );
};

beforeAll(async () => {
  pool = createPool({ url: await createScratchDatabase("chainview"), poolSize: 4, statementTimeoutMs: 5000, connectTimeoutMs: 2000 });
  await runMigrations(pool);
  await pool.query("INSERT INTO stores (store_id, name) VALUES ('S1', 'one'), ('S2', 'two')");
  await pool.query("INSERT INTO products (sku, name) VALUES ('A', 'a'), ('B', 'b'), ('C', 'c')");
  await pool.query(`INSERT INTO stock_items (store_id, sku, on_hand, reserved, in_transit, version) VALUES
    ('S1', 'A', 10, 2, 0, 3), ('S1', 'B', 5, 0, 1, 1), ('S2', 'A', 7, 0, 0, 2)`);
  kafka = createKafka({ brokers: [process.env.TEST_KAFKA_BROKERS ?? "127.0.0.1:19092"], clientId: "chain-view-test" }, silentLogger);
  await ensureTopics(kafka, [{ topic, partitions: 3, cleanupPolicy: "compact" }], 1);
  // Gzip, as the hub publishes the chain view.
  publisher = createKafkaPublisher(kafka, { gzip: true });
});
afterAll(async () => {
  await publisher?.close();
  await pool?.end();
});

describe("the chain view on a compacted topic", () => {
  it("given a deployment's first flush, then every stock item's current state is published once, with its version", async () => {
    const first = await flush();
    expect(first).toMatchObject({ ran: true, published: 3, position: 0 });
    const view = latestByKey(await records());
    expect([...view.keys()].sort()).toEqual(["S1:A", "S1:B", "S2:A"]);
    expect(view.get("S1:A")).toMatchObject({ storeId: "S1", sku: "A", onHand: 10, reserved: 2, version: 3 });
    expect(view.get("S1:B")).toMatchObject({ inTransit: 1, version: 1 });
    // Compact: the key names the item, the value is the five numbers' varints, and there are no headers.
    const item = (await entries()).find((e) => e.key === "S1:A")!;
    expect(item.raw).toEqual(encodeChainViewItem(view.get("S1:A")!).value);
    expect((item.raw as Buffer).length).toBeLessThanOrEqual(12);
    expect(item.headers).toEqual({});
  });

  it("given fifty events on one item and one on another since, when flushed, then one record each with the latest state, and nothing for a flush with no news", async () => {
    const before = (await records()).length;
    for (let v = 4; v < 54; v++) await published("S1", "A", v, 100 + v);
    await published("S2", "A", 3, 6);
    await pool.query(
      `INSERT INTO outbox (event_id, topic, message_key, event, sku, published_at, log_position)
       VALUES ($1, 'stock.events', 'C', '{"eventType":"ProductCreated"}', 'C', now(), nextval('event_log_position'))`,
      [randomUUID()],
    );
    expect(await flush()).toMatchObject({ ran: true, published: 2 });
    const all = await records();
    expect(all.length - before).toBe(2);
    const view = latestByKey(all);
    expect(view.get("S1:A")).toMatchObject({
      onHand: 153,
      version: 53,
      reserved: 1,
      lastEventAt: new Date(Date.UTC(2026, 11, 1, 12, 0, 53)).toISOString(),
    });
    expect(view.get("S2:A")).toMatchObject({ onHand: 6, version: 3 });
    expect(await flush()).toMatchObject({ ran: true, published: 0 });
    expect((await records()).length - before).toBe(2);
  });

  it("given a flush within the coalescing interval of the last one that published, then it publishes nothing until the interval has passed", async () => {
    await published("S1", "B", 2, 9);
    expect(await flush()).toMatchObject({ ran: true, published: 1 });
    await published("S1", "B", 3, 8);
    expect(await flush({ minIntervalMs: 60_000 })).toMatchObject({ ran: false, published: 0 });
    expect(latestByKey(await records()).get("S1:B")).toMatchObject({ version: 2 });
    expect(await flush({ minIntervalMs: 0 })).toMatchObject({ ran: true, published: 1 });
    expect(latestByKey(await records()).get("S1:B")).toMatchObject({ version: 3, onHand: 8 });
  });

  it("given more changed keys than one flush takes, then flushes go on from where the last stopped and lose none", async () => {
    for (let i = 0; i < 10; i++) await published("S2", "A", 4 + i, 50 + i);
    const sizes: number[] = [];
    for (;;) {
      const f = await flush({ maxEventsPerFlush: 4 });
      if (f.published === 0) break;
      sizes.push(f.published);
    }
    // Four events per flush, all of one key: one record each flush, the last with the final state.
    expect(sizes).toEqual([1, 1, 1]);
    expect(latestByKey(await records()).get("S2:A")).toMatchObject({ version: 13, onHand: 59 });
  });

  it("given another hub flushing, then this one skips the tick instead of waiting or publishing twice", async () => {
    await published("S1", "A", 54, 1);
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(7420003)");
      expect(await flush()).toMatchObject({ ran: false, published: 0 });
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
    expect(await flush()).toMatchObject({ ran: true, published: 1 });
  });

  it("given a change committed whose event the relay has sent but not yet positioned, when flushed with the event log's ends, then the item's state is in the view, followed by a position record naming those ends", async () => {
    await pool.query(
      "UPDATE stock_items SET on_hand = 77, version = version + 1, updated_at = now() WHERE store_id = 'S2' AND sku = 'A' RETURNING version",
    );
    const { rows } = await pool.query<{ version: number }>("SELECT version FROM stock_items WHERE store_id = 'S2' AND sku = 'A'");
    await pool.query(
      `INSERT INTO outbox (event_id, topic, message_key, event, store_id, sku) VALUES ($1, 'stock.events', 'S2:A', $2, 'S2', 'A')`,
      [
        randomUUID(),
        JSON.stringify({ eventType: "StockAdjusted", occurredAt: "2026-12-01T13:00:00.000Z", aggregate: { version: rows[0]!.version } }),
      ],
    );
    const ends = { "stock.events": [5, 0, 9], "reservation.events": [1, 2, 3], "transfer.events": [0, 0, 0] };
    const f = await flushChainView({ pool, publisher, topic, maxEventsPerFlush: 1000, minIntervalMs: 0, eventLogEnds: async () => ends });
    expect(f.ran).toBe(true);
    const all = await entries();
    const lastIndexOf = (key: string) => all.map((e) => e.key).lastIndexOf(key);
    const itemAt = lastIndexOf("S2:A");
    const positionAt = lastIndexOf("#position");
    expect(all[itemAt]!.entry).toMatchObject({ onHand: 77, version: rows[0]!.version, lastEventAt: "2026-12-01T13:00:00.000Z" });
    expect(all[positionAt]!.entry).toMatchObject({ kind: "position", eventOffsets: ends, logPosition: f.position });
    // Both on the topic: the record published before the position is read by whoever reads up to the position.
    expect(itemAt).toBeGreaterThanOrEqual(0);
    expect(positionAt).toBeGreaterThanOrEqual(0);
  });
});
