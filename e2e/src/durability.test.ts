import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, kafkaBroker, postgresServer, sleep } from "./harness/infra.js";
import { readWholeTopic } from "./harness/kafka-log.js";
import { steadyWriteLoad, type Acknowledged } from "./harness/write-load.js";
import { tokenFor } from "./harness/tokens.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;
const STORES = ["S1", "S2", "S3"];
const SKUS = Array.from({ length: 10 }, (_, i) => `D${i}`);

beforeAll(async () => {
  // A small outbox limit, so that a Kafka outage closes writes within a second or two.
  system = await startSystem({ agents: ["S1"], hubEnv: { OUTBOX_MAX_BACKLOG: "300" } });
  await seedCatalog(
    system,
    STORES,
    SKUS.map((sku) => ({ sku, perStore: {} })),
  );
});
afterAll(() => system?.close());

/**
 * Every acknowledged write exists exactly once in the database and its event log, nothing is missing or
 * out of order on Kafka, and every replica matches the database.
 */
const auditEverything = async (acked: readonly Acknowledged[]) => {
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
  await eventually(
    async () => {
      const pending = await system.db.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
      expect(Number(pending.rows[0].n)).toBe(0);
    },
    30_000,
    200,
  );

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
  console.log(
    `Kafka holds ${log.length} messages for ${allEvents.length} events; ${redelivered} were republished after a crash and ignored by replicas`,
  );

  // Every replica converges on the database, having applied each event once.
  for (const client of [system.hub, system.agent("S1")]) {
    await eventually(
      async () => {
        for (const sku of SKUS) {
          const res = await client.get(`/v1/items/${sku}/availability`);
          const got = Object.fromEntries(
            res.body.perStore.map((r: { storeId: string; onHand: number; version: number }) => [r.storeId, [r.onHand, r.version]]),
          );
          const want = Object.fromEntries(rows.rows.filter((r) => r.sku === sku).map((r) => [r.store_id, [r.on_hand, r.version]]));
          expect(got).toEqual(want);
        }
      },
      30_000,
      200,
    );
  }
};

const acked: Acknowledged[] = [];

describe("no event lost or duplicated across crashes", () => {
  it("given a steady write load, when the hub is killed and Kafka restarted, then every acknowledged write exists exactly once everywhere", async () => {
    const load = steadyWriteLoad(system, { workers: 4, stores: STORES, skus: SKUS });
    await sleep(1500);
    const beforeKill = load.acknowledged.length;
    await system.stopHub("SIGKILL");
    await sleep(300);
    await system.startHub();
    await sleep(1500);
    const beforeKafka = load.acknowledged.length;
    await kafkaBroker.stop();
    await sleep(1000);
    const duringKafkaOutage = load.acknowledged.length - beforeKafka;
    await kafkaBroker.start();
    await sleep(2000);
    await load.stop();
    acked.push(...load.acknowledged);
    console.log(
      `hub kill and Kafka restart: ${load.acknowledged.length} writes acknowledged (${beforeKill} before the hub kill, ${duringKafkaOutage} while Kafka was down); retried after 503 or a dropped connection: ${load.retries()}`,
    );
    expect(duringKafkaOutage).toBeGreaterThan(0);
    await auditEverything(acked);
  });

  it("given a steady write load, when PostgreSQL is killed -9, then writes answer 503 fast, reads keep answering, and writes resume by themselves", async () => {
    const load = steadyWriteLoad(system, { workers: 4, stores: STORES, skus: SKUS });
    await sleep(1000);
    await postgresServer.kill();
    const killedAt = Date.now();
    await sleep(2500);
    const refusedWhileDown = load.refusals.filter((r) => r.at >= killedAt && r.status === 503);
    const read = await system.agent("S1").get("/v1/items/D0/availability");
    const hubRead = await system.hub.get("/v1/items/D0/availability");
    const ready = await system.hub.get("/ready");
    await postgresServer.start();
    await eventually(async () => expect((await system.hub.get("/ready")).status).toBe(200), 30_000, 200);
    const resumedAfter = load.acknowledged.length;
    await sleep(1000);
    await load.stop();
    acked.push(...load.acknowledged);
    const slowest = Math.max(...refusedWhileDown.map((r) => r.ms));
    console.log(
      `PostgreSQL kill -9: ${refusedWhileDown.length} writes refused 503 while it was down (slowest ${slowest.toFixed(0)} ms); reads at hub and agent: ${hubRead.status}, ${read.status}; /ready: ${ready.status} ${JSON.stringify(ready.body.down)}; ${load.acknowledged.length - resumedAfter} writes acknowledged in the second after it came back`,
    );
    expect(refusedWhileDown.length).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(5000);
    expect([read.status, hubRead.status]).toEqual([200, 200]);
    expect(ready.status).toBe(503);
    expect(ready.body.down).toContain("postgres");
    expect(load.acknowledged.length).toBeGreaterThan(resumedAfter);
    await auditEverything(acked);
  });

  it("given a steady write load, when Kafka is killed -9, then commands commit until the outbox limit, then 503, and the backlog drains in order", async () => {
    const load = steadyWriteLoad(system, { workers: 4, stores: STORES, skus: SKUS });
    await sleep(1000);
    const before = load.acknowledged.length;
    await kafkaBroker.kill();
    const killedAt = Date.now();
    await eventually(() => expect(load.refusals.filter((r) => r.at >= killedAt).length).toBeGreaterThan(0), 20_000, 100);
    const committedWhileDown = load.acknowledged.length - before;
    const gate = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "D0", delta: 1, reason: "restock" });
    await kafkaBroker.start();
    await eventually(async () => expect(load.acknowledged.length).toBeGreaterThan(before + committedWhileDown + 10), 60_000, 200);
    await load.stop();
    acked.push(...load.acknowledged);
    console.log(
      `Kafka kill -9: ${committedWhileDown} writes committed into the outbox while it was down before writes closed; then ${gate.status} ${gate.body.code} (${gate.body.message})`,
    );
    expect(committedWhileDown).toBeGreaterThan(0);
    expect(gate.status).toBe(503);
    expect(gate.body.dependency).toBe("kafka");
    expect(Number(gate.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    await auditEverything(acked);
  });

  it("after all the crashes, no replica differs from one rebuilt from offset zero", async () => {
    const operator = tokenFor("operator");
    for (const client of [system.hub, system.agent("S1")]) {
      const before = await Promise.all(SKUS.map((sku) => client.get(`/v1/items/${sku}/availability`)));
      expect((await client.post("/v1/projections/rebuild", {}, { token: operator })).status).toBe(202);
      await eventually(
        async () => {
          const status = await client.get("/v1/projections/status", { Authorization: `Bearer ${operator}` });
          expect(status.body.projections[0].rebuild.state).toBe("IDLE");
          expect(status.body.projections[0].rebuild.finishedAt).not.toBeNull();
        },
        60_000,
        200,
      );
      const after = await Promise.all(SKUS.map((sku) => client.get(`/v1/items/${sku}/availability`)));
      expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
    }
  });

  it("after all the crashes, the hub stops cleanly: every database connection was given back", async () => {
    expect(await system.stopHub("SIGTERM")).toBe(0);
  });
});
