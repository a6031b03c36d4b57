import { expect } from "vitest";
import { readTopicToEnd } from "@inventory/platform";
import { eventually } from "../harness/infra.js";
import type { ApiClient } from "../harness/http-client.js";
import type { Acknowledged } from "../harness/write-load.js";
import { cluster } from "./cluster-infra.js";
import type { ClusterSystem } from "./cluster-system.js";

/**
 * Every acknowledged write (restocks of `skus`, the load's only writes with that reason) exists exactly once in the database, the outbox drains, every event is on Kafka
 * with each item's versions in order, and every replica given matches the database.
 */
export const auditWrites = async (
  system: ClusterSystem,
  acked: readonly Acknowledged[],
  skus: readonly string[],
  replicas: readonly ApiClient[],
) => {
  const outbox = await system.db.query<{ event_id: string }>(
    "SELECT event_id FROM outbox WHERE event->>'eventType' = 'StockAdjusted' AND event->'payload'->>'reason' = 'restock'",
  );
  const inOutbox = new Set(outbox.rows.map((r) => r.event_id));
  expect(inOutbox.size).toBe(outbox.rows.length);
  expect(acked.filter((a) => !inOutbox.has(a.eventId))).toEqual([]);
  expect(new Set(acked.map((a) => a.eventId)).size).toBe(acked.length);
  expect(inOutbox.size).toBe(acked.length);
  const expected = new Map<string, number>();
  for (const a of acked) expected.set(`${a.storeId}:${a.sku}`, (expected.get(`${a.storeId}:${a.sku}`) ?? 0) + a.delta);
  const rows = (
    await system.db.query<{ store_id: string; sku: string; on_hand: number; version: number }>(
      "SELECT store_id, sku, on_hand, version FROM stock_items WHERE sku = ANY($1)",
      [skus],
    )
  ).rows;
  for (const row of rows) expect(row.on_hand).toBe(expected.get(`${row.store_id}:${row.sku}`) ?? 0);

  await eventually(
    async () => {
      const pending = await system.db.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
      expect(Number(pending.rows[0].n)).toBe(0);
    },
    60_000,
    200,
  );

  const log = await readTopicToEnd(cluster.kafkaAs("hub"), `${system.topicPrefix}stock.events`, { timeoutMs: 30_000 });
  const all = (await system.db.query<{ event_id: string }>("SELECT event_id FROM outbox WHERE topic = 'stock.events'")).rows.map(
    (r) => r.event_id,
  );
  const events = log.map((m) => ({
    partition: m.partition,
    offset: m.offset,
    key: m.key?.toString() ?? "",
    event: JSON.parse(m.value!.toString()),
  }));
  const onKafka = new Set(events.map((m) => m.event.eventId as string));
  expect(all.filter((id) => !onKafka.has(id))).toEqual([]);
  const last = new Map<string, number>();
  let republished = 0;
  for (const m of events.sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    const previous = last.get(m.key) ?? 0;
    if (m.event.aggregate.version <= previous) {
      republished += 1;
      continue;
    }
    expect(m.event.aggregate.version).toBe(previous + 1);
    last.set(m.key, m.event.aggregate.version);
  }

  for (const client of replicas) {
    await eventually(
      async () => {
        for (const sku of skus) {
          const res = await client.get(`/v1/items/${sku}/availability`);
          const got = Object.fromEntries(
            res.body.perStore.map((r: { storeId: string; onHand: number; version: number }) => [r.storeId, [r.onHand, r.version]]),
          );
          const want = Object.fromEntries(rows.filter((r) => r.sku === sku).map((r) => [r.store_id, [r.on_hand, r.version]]));
          expect(got).toEqual(want);
        }
      },
      60_000,
      200,
    );
  }
  return { messages: events.length, events: all.length, republished };
};
