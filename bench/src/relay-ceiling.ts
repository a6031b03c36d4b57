/**
 * The outbox relay's own ceiling: N committed, unpublished stock events are put into a hub's outbox while the
 * hub is stopped, the hub is started, and the relay's rate is N over the span between the first and the last
 * row it marked published (PostgreSQL's clock). Run by deploy/bench-relay.sh against a PostgreSQL and a Kafka
 * broker of its own. Env: RELAY_EVENTS (200000), RELAY_BATCH_SIZES ("500,2000"), RELAY_STORES (200).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import { stampEvent, stockItemEventDraft, STOCK_EVENT_TYPES } from "@inventory/shared";
import { hubProgram, startNode } from "./processes.js";

const pgUrl = process.env.BENCH_PG_URL!;
const brokers = process.env.BENCH_KAFKA_BROKERS!;
const root = process.env.BENCH_REPO_ROOT!;
const dataDir = process.env.BENCH_DATA_DIR!;
const events = Number(process.env.RELAY_EVENTS ?? 200_000);
const batchSizes = (process.env.RELAY_BATCH_SIZES ?? "500,2000").split(",").map(Number);
const stores = Number(process.env.RELAY_STORES ?? 200);
const port = 24_580;

const fillOutbox = async (pool: pg.Pool) => {
  const occurredAt = new Date().toISOString();
  let bytes = 0;
  for (let from = 0; from < events; from += 10_000) {
    const rows = [];
    for (let k = from; k < Math.min(events, from + 10_000); k++) {
      const storeId = `S${k % stores}`;
      const sku = `SKU-${Math.floor(k / stores) % 5000}`;
      const draft = stockItemEventDraft(
        { storeId, sku, onHand: 100, reserved: 0, inTransit: 0, version: Math.floor(k / (stores * 5000)) + 2 },
        STOCK_EVENT_TYPES.adjusted,
        {
          delta: -1,
          reason: "sale",
        },
      );
      const event = stampEvent(draft, { eventId: randomUUID(), occurredAt, traceId: `relay-${k}` });
      const json = JSON.stringify(event);
      bytes += json.length + draft.key.length;
      rows.push({ id: event.eventId, key: draft.key, json, storeId, sku });
    }
    await pool.query(
      `INSERT INTO outbox (event_id, topic, message_key, event, store_id, sku)
       SELECT * FROM unnest($1::uuid[], array_fill('stock.events'::text, ARRAY[$6::int]), $2::text[], $3::jsonb[], $4::text[], $5::text[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.key),
        rows.map((r) => r.json),
        rows.map((r) => r.storeId),
        rows.map((r) => r.sku),
        rows.length,
      ],
    );
  }
  return bytes / events;
};

const results = [];
for (const batchSize of batchSizes) {
  const database = `relay_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: `${pgUrl}/inventory` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database} OWNER inventory`);
  await admin.end();
  const env = {
    DATABASE_URL: `${pgUrl}/${database}`,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: `${database}.`,
    HUB_REPLICA_PATH: `${dataDir}/${database}.sqlite`,
    RELAY_BATCH_SIZE: String(batchSize),
    OUTBOX_MAX_BACKLOG: String(events * 2),
    LOG_LEVEL: "warn",
  };
  const options = { logDir: `${dataDir}/logs`, cwd: root, env };
  // The first start migrates and creates the topics; the outbox is filled while no relay runs.
  await (await startNode(`relay-hub-${batchSize}`, hubProgram(root), port, options)).stop();
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
  const bytesPerEvent = await fillOutbox(pool);
  const hub = await startNode(`relay-hub-${batchSize}`, hubProgram(root), port, { ...options, waitFor: "listening" });
  for (;;) {
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL");
    if (rows[0].n === 0) break;
    hub.assertAlive();
    await new Promise((r) => setTimeout(r, 200));
  }
  const { rows } = await pool.query("SELECT extract(epoch FROM max(published_at) - min(published_at)) AS seconds FROM outbox");
  const seconds = Number(rows[0].seconds);
  await hub.stop();
  await pool.end();
  results.push({
    batchSize,
    events,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(events / seconds),
    bytesPerEvent: Math.round(bytesPerEvent),
  });
  console.log(JSON.stringify(results[results.length - 1]));
}
mkdirSync(`${root}/bench/results`, { recursive: true });
writeFileSync(
  `${root}/bench/results/relay-ceiling.json`,
  `${JSON.stringify({ measuredAt: new Date().toISOString(), results }, null, 2)}\n`,
);
