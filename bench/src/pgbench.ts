import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
export const PGBENCH_DATABASE = "bench_pgbench";

/**
 * A database of its own with the hub's schema (its migrations, applied as written), so pgbench's outbox rows
 * are never published, and the catalogue the script touches: 3 stores, the spread items with ample stock.
 */
export const preparePgbenchDatabase = async (adminUrl: string, repoRoot: string, stores: readonly string[], spreadItems: number) => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${PGBENCH_DATABASE}`);
  await admin.query(`CREATE DATABASE ${PGBENCH_DATABASE} OWNER inventory`);
  await admin.end();
  const db = new pg.Client({ connectionString: adminUrl.replace(/\/[^/]*$/, `/${PGBENCH_DATABASE}`) });
  await db.connect();
  const dir = `${repoRoot}/hub/drizzle`;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    await db.query(readFileSync(`${dir}/${file}`, "utf8"));
  const skus = Math.ceil(spreadItems / stores.length);
  await db.query(`INSERT INTO stores (store_id, name) SELECT unnest($1::text[]), 'bench'`, [stores]);
  await db.query(`INSERT INTO products (sku, name) SELECT 'P' || lpad(n::text, 5, '0'), 'bench' FROM generate_series(0, $1 - 1) n`, [skus]);
  await db.query(
    `INSERT INTO stock_items (store_id, sku, on_hand, reserved, version) SELECT s, p.sku, 1000000000, 0, 1 FROM unnest($1::text[]) s, products p`,
    [stores],
  );
  await db.end();
};

/**
 * pgbench's script: exactly the statements one adjustment runs when it has a transaction of its own
 * (hub/src/command-pipeline/command-batch.ts with one command, held-stock.ts, outbox/append-to-outbox.ts), with a
 * fresh idempotency key each time: key lock, stored-answer look-up, the SKU's rows locked, the item written
 * back, outbox insert with its notification, idempotency record, commit. (The write adds the delta where
 * the hub writes the value it decided, so that every run starts from the rows as they are.)
 * Run with -M extended, as node-postgres sends its queries (unnamed statements). pgbench substitutes
 * `:name` even inside string literals, hence chr(58).
 */
export const adjustmentScript = (itemExpression: string, delta: number, storeCount: number): string => {
  const key = `(:client_id::text || '-' || :r::text)`;
  const store = `('S' || (:item::int % ${storeCount} + 1)::text)`;
  const sku = `('P' || lpad((:item::int / ${storeCount})::text, 5, '0'))`;
  const event = `jsonb_build_object('eventId', gen_random_uuid(), 'eventType', 'StockAdjusted', 'eventVersion', 1, 'occurredAt', now(),
    'aggregate', jsonb_build_object('type', 'stock-item', 'id', ${store} || chr(58) || ${sku}, 'version', 2),
    'payload', jsonb_build_object('storeId', ${store}, 'sku', ${sku}, 'onHand', 1001, 'reserved', 0, 'inTransit', 0, 'delta', ${delta}, 'reason', 'manual'),
    'traceId', 'pgbench-0123456789abcdef')`;
  return `\\set item ${itemExpression}
\\set r random(1, 9000000000000000000)
BEGIN;
SELECT pg_try_advisory_xact_lock(hashtextextended(k, 0)) AS locked FROM unnest(ARRAY['9' || chr(58) || 'dev-token' || chr(58) || ${key}]) WITH ORDINALITY AS t(k, n) ORDER BY n;
SELECT scope, key, fingerprint, status_code, response FROM idempotency_records WHERE (scope, key) IN (SELECT * FROM unnest(ARRAY['dev-token'], ARRAY[${key}]));
SELECT s.store_id, s.sku, s.on_hand, s.reserved, s.in_transit, s.version, st.latency_ms FROM stock_items s JOIN stores st ON st.store_id = s.store_id
  WHERE s.sku = ANY(ARRAY[${sku}]) ORDER BY s.sku, s.store_id FOR UPDATE OF s;
UPDATE stock_items s SET on_hand = s.on_hand + v.delta, reserved = v.reserved, in_transit = v.in_transit, version = s.version + 1, updated_at = v.updated_at
  FROM unnest(ARRAY[${store}], ARRAY[${sku}], ARRAY[${delta}], ARRAY[0], ARRAY[0], ARRAY[now()]) AS v(store_id, sku, delta, reserved, in_transit, updated_at)
  WHERE s.store_id = v.store_id AND s.sku = v.sku;
WITH appended AS (INSERT INTO outbox (event_id, topic, message_key, event, store_id, sku)
  SELECT * FROM unnest(ARRAY[gen_random_uuid()], ARRAY['stock.events'], ARRAY[${store} || chr(58) || ${sku}], ARRAY[${event}], ARRAY[${store}], ARRAY[${sku}])
  ON CONFLICT (event_id) DO NOTHING)
SELECT pg_notify('inventory_outbox', '');
INSERT INTO idempotency_records (scope, key, fingerprint, status_code, response, created_at)
  SELECT * FROM unnest(ARRAY['dev-token'], ARRAY[${key}], ARRAY[md5(${key}) || md5(${key})], ARRAY[202],
  ARRAY[json_build_object('status', 202, 'body', json_build_object('storeId', ${store}, 'sku', ${sku}, 'onHand', 1001, 'reserved', 0, 'available', 1001,
    'version', 2, 'eventId', gen_random_uuid()), 'headers', json_build_object('ETag', '"2"'))], ARRAY[now()]);
COMMIT;
`;
};

export interface PgbenchResult {
  readonly tps: number;
  readonly latencyAvgMs: number;
}

/** Runs pgbench once with a custom script at `clients` connections for `durationS` seconds. */
export const runPgbench = async (options: {
  pgBin: string;
  port: number;
  scriptPath: string;
  script: string;
  clients: number;
  durationS: number;
}): Promise<PgbenchResult> => {
  writeFileSync(options.scriptPath, options.script);
  const { stdout } = await run(
    `${options.pgBin}/pgbench`,
    [
      "-h",
      "127.0.0.1",
      "-p",
      String(options.port),
      "-U",
      "inventory",
      "-n",
      "-M",
      "extended",
      "-c",
      String(options.clients),
      "-j",
      "2",
      "-T",
      String(options.durationS),
      "-f",
      options.scriptPath,
      PGBENCH_DATABASE,
    ],
    { env: { ...process.env, PGPASSWORD: "inventory" }, maxBuffer: 10 * 1024 * 1024 },
  );
  const tps = /tps = ([\d.]+)/.exec(stdout);
  const latency = /latency average = ([\d.]+) ms/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return { tps: Number(tps[1]), latencyAvgMs: latency ? Number(latency[1]) : NaN };
};
