import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, createPool, type Database } from "../src/db/database.js";
import { runMigrations } from "../src/db/migrate.js";

/**
 * For tests against the suite's PostgreSQL (deploy/test.sh starts it and sets TEST_PG_URL): creates an
 * empty database of the test's own and answers its URL.
 */
export const createScratchDatabase = async (prefix: string): Promise<string> => {
  const serverUrl = process.env.TEST_PG_URL;
  if (!serverUrl) throw new Error("TEST_PG_URL is not set: run the suite with `npm test`, which starts PostgreSQL");
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/inventory` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} OWNER inventory`);
  } finally {
    await admin.end();
  }
  return `${serverUrl}/${name}`;
};

/** A scratch database with the hub's migrations run and store S1 registered, and a pool of 4 on it. */
export const openMigratedScratchDatabase = async (prefix: string): Promise<{ pool: pg.Pool; db: Database }> => {
  const pool = createPool({ url: await createScratchDatabase(prefix), poolSize: 4, statementTimeoutMs: 5000, connectTimeoutMs: 2000 });
  await runMigrations(pool);
  await pool.query("INSERT INTO stores (store_id, name) VALUES ('S1', 'one')");
  return { pool, db: createDatabase(pool) };
};

/** A new SKU with 10 units at S1 (version 1), and no stored answers left from earlier tests. */
export const seedFreshItem = async (pool: pg.Pool): Promise<string> => {
  const sku = `SKU-${randomBytes(3).toString("hex")}`;
  await pool.query("INSERT INTO products (sku, name) VALUES ($1, 'p')", [sku]);
  await pool.query("INSERT INTO stock_items (store_id, sku, on_hand, reserved, version) VALUES ('S1', $1, 10, 0, 1)", [sku]);
  await pool.query("DELETE FROM idempotency_records");
  return sku;
};
