import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const stockItems = sqliteTable(
  "stock_items",
  {
    sku: text("sku").notNull(),
    storeId: text("store_id").notNull(),
    onHand: integer("on_hand").notNull(),
    reserved: integer("reserved").notNull(),
    inTransit: integer("in_transit").notNull(),
    version: integer("version").notNull(),
    lastEventAt: text("last_event_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.storeId] })],
);

export const products = sqliteTable("products", {
  sku: text("sku").primaryKey(),
  name: text("name").notNull(),
  createdAt: text("created_at").notNull(),
});

/** Facts about the replica file itself, such as the epoch that names its Kafka consumer group. */
export const replicaMeta = sqliteTable("replica_meta", { key: text("key").primaryKey(), value: text("value").notNull() });

export const stores = sqliteTable("stores", {
  storeId: text("store_id").primaryKey(),
  name: text("name").notNull(),
  latencyMs: integer("latency_ms"),
});

export const reservations = sqliteTable("reservations", {
  reservationId: text("reservation_id").primaryKey(),
  storeId: text("store_id").notNull(),
  status: text("status").notNull(),
  lines: text("lines", { mode: "json" }).notNull().$type<{ sku: string; qty: number }[]>(),
  customerId: text("customer_id"),
  expiresAt: text("expires_at").notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  version: integer("version").notNull(),
});

export const transfers = sqliteTable("transfers", {
  transferId: text("transfer_id").primaryKey(),
  fromStore: text("from_store").notNull(),
  toStore: text("to_store").notNull(),
  lines: text("lines", { mode: "json" }).notNull().$type<{ sku: string; qty: number }[]>(),
  receipt: text("receipt").notNull(),
  status: text("status").notNull(),
  failureReason: text("failure_reason"),
  history: text("history", { mode: "json" }).notNull().$type<{ status: string; at: string; reason?: string }[]>(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  version: integer("version").notNull(),
});

/** Where the replica stands in each partition: the offset of the next message to apply. */
export const positions = sqliteTable(
  "positions",
  {
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    nextOffset: integer("next_offset").notNull(),
    eventsApplied: integer("events_applied").notNull(),
    lastEventAt: text("last_event_at"),
  },
  (t) => [primaryKey({ columns: [t.topic, t.partition] })],
);

/**
 * The replica is disposable (it can always be rebuilt from Kafka), so its schema is created in place
 * rather than migrated: a file written by another schema version is discarded and replayed.
 */
export const REPLICA_SCHEMA_VERSION = 4;

/** Built again after a merge of staged rows (see `ReplicaStore.mergeStaged`): sorting once beats a million inserts. */
export const STOCK_ITEMS_STORE_INDEX_NAME = "stock_items_store_idx";
export const STOCK_ITEMS_STORE_INDEX = `CREATE INDEX IF NOT EXISTS ${STOCK_ITEMS_STORE_INDEX_NAME} ON stock_items (store_id)`;

export const REPLICA_DDL = `
CREATE TABLE IF NOT EXISTS stock_items (
  sku TEXT NOT NULL, store_id TEXT NOT NULL, on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL,
  in_transit INTEGER NOT NULL, version INTEGER NOT NULL, last_event_at TEXT NOT NULL, PRIMARY KEY (sku, store_id)
) WITHOUT ROWID;
${STOCK_ITEMS_STORE_INDEX};
CREATE TABLE IF NOT EXISTS staged_stock_items (
  sku TEXT NOT NULL, store_id TEXT NOT NULL, on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL,
  in_transit INTEGER NOT NULL, version INTEGER NOT NULL, last_event_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS products (sku TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stores (store_id TEXT PRIMARY KEY, name TEXT NOT NULL, latency_ms INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reservations (
  reservation_id TEXT PRIMARY KEY, store_id TEXT NOT NULL, status TEXT NOT NULL, lines TEXT NOT NULL, customer_id TEXT,
  expires_at TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transfers (
  transfer_id TEXT PRIMARY KEY, from_store TEXT NOT NULL, to_store TEXT NOT NULL, lines TEXT NOT NULL, receipt TEXT NOT NULL,
  status TEXT NOT NULL, failure_reason TEXT, history TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replica_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS positions (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
  events_applied INTEGER NOT NULL, last_event_at TEXT, PRIMARY KEY (topic, partition)
) WITHOUT ROWID;
`;
