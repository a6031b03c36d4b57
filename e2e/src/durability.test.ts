import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, kafkaBroker, sleep } from "./harness/infra.js";
import { readWholeTopic } from "./harness/kafka-log.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;
const STORES = ["S1", "S2", "S3"];
const SKUS = Array.from({ length: 10 }, (_, i) => `D${i}`);

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(system, STORES, SKUS.map((sku) => ({ sku, perStore: {} })));
});
afterAll(() => system?.close());

interface Acknowledged {
  storeId: string;
  sku: string;
  delta: number;
  eventId: string;
}

/**
 * A till's behaviour: send each write with its own key, and on anything but an answer (503, a dropped
 * connection) retry the same key until the hub answers. Stops issuing new writes when `stop()` is called.
 */
const steadyWriteLoad = (workers: number) => {
  const acknowledged: Acknowledged[] = [];
  let retries = 0;
  let running = true;
  const worker = async (w: number) => {
    for (let n = 0; running; n++) {
      const storeId = STORES[(w + n) % STORES.length]!;
      const sku = SKUS[(w * 7 + n) % SKUS.length]!;
      const body = { storeId, sku, delta: 1 + (n % 3), reason: "restock" };
      const key = randomUUID();
      for (;;) {
        const res = await system.hub.post("/v1/adjustments", body, { key }).catch(() => undefined);
        if (res?.status === 202) {
          acknowledged.push({ storeId, sku, delta: body.delta, eventId: res.body.eventId });
          break;
        }
        if (res && res.status !== 503) throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`);
        retries += 1;
        await sleep(100);
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    acknowledged,
    retries: () => retries,
    stop: async () => {
      running = false;
      await done;
    },
  };
};

describe("no event lost or duplicated across restarts", () => {
  it("given a steady write load, when the hub is killed and Kafka restarted, then every acknowledged write exists exactly once everywhere", async () => {
    const load = steadyWriteLoad(4);
    await sleep(1500);
    const beforeKill = load.acknowledged.length;
    await system.stopHub("SIGKILL");
    await sleep(300);
    await system.startHub();
    await sleep(1500);
    const beforeKafka = load.acknowledged.length;
    await kafkaBroker.stop();
    await sleep(1500);
    const duringKafkaOutage = load.acknowledged.length - beforeKafka;
    await kafkaBroker.start();
    await sleep(2000);
    await load.stop();
    const acked = load.acknowledged;
    console.log(
      `writes acknowledged: ${acked.length} (${beforeKill} before the hub kill, ${duringKafkaOutage} while Kafka was down); retried after 503 or a dropped connection: ${load.retries()}`,
    );
    expect(duringKafkaOutage).toBeGreaterThan(0);

    // The source of truth: each acknowledged write has exactly one event, and the stock adds up.
    const outbox = await system.db.query<{ event_id: string; n: string }>(
      "SELECT event_id, count(*) AS n FROM outbox WHERE event->>'eventType' = 'StockAdjusted' AND event->'payload'->>'reason' = 'restock' GROUP BY event_id",
    );
    const inOutbox = new Set(outbox.rows.map((r) => r.event_id));
    expect(acked.filter((a) => !inOutbox.has(a.eventId))).toEqual([]);
    expect(inOutbox.size).toBe(acked.length);
    const expected = new Map<string, number>();
    for (const a of acked) expected.set(`${a.storeId}:${a.sku}`, (expected.get(`${a.storeId}:${a.sku}`) ?? 0) + a.delta);
    const rows = await system.db.query<{ store_id: string; sku: string; on_hand: number; version: number }>(
      "SELECT store_id, sku, on_hand, version FROM stock_items",
    );
    for (const row of rows.rows) expect(row.on_hand).toBe(expected.get(`${row.store_id}:${row.sku}`) ?? 0);

    // The relay drains the backlog.
    await eventually(async () => {
      const pending = await system.db.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
      expect(Number(pending.rows[0].n)).toBe(0);
    }, 30_000, 200);

    // The event log on Kafka: nothing missing, each item's versions in order.
    const log = await readWholeTopic(system.kafkaBrokers, `${system.topicPrefix}stock.events`);
    const allEvents = (await system.db.query<{ event_id: string }>("SELECT event_id FROM outbox")).rows.map((r) => r.event_id);
    const onKafka = new Set(log.map((m) => m.event.eventId));
    expect(allEvents.filter((id) => !onKafka.has(id))).toEqual([]);
    const lastVersion = new Map<string, number>();
    let redelivered = 0;
    for (const m of log.sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
      if (m.event.aggregate.id.includes(":") === false) continue;
      const previous = lastVersion.get(m.key) ?? 0;
      if (m.event.aggregate.version <= previous) {
        redelivered += 1;
        continue;
      }
      expect(m.event.aggregate.version).toBe(previous + 1);
      lastVersion.set(m.key, m.event.aggregate.version);
    }
    console.log(`Kafka holds ${log.length} messages for ${allEvents.length} events; ${redelivered} were republished after the hub kill and ignored by replicas`);

    // Every replica converges on the database, having applied each event once.
    for (const client of [system.hub, system.agent("S1")]) {
      await eventually(async () => {
        for (const sku of SKUS) {
          const res = await client.get(`/v1/items/${sku}/availability`);
          const got = Object.fromEntries(res.body.perStore.map((r: { storeId: string; onHand: number; version: number }) => [r.storeId, [r.onHand, r.version]]));
          const want = Object.fromEntries(rows.rows.filter((r) => r.sku === sku).map((r) => [r.store_id, [r.on_hand, r.version]]));
          expect(got).toEqual(want);
        }
      }, 30_000, 200);
    }
  });
});
