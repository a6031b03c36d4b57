import { sql } from "drizzle-orm";
import { bigserial, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const stores = pgTable("stores", {
  storeId: text("store_id").primaryKey(),
  name: text("name").notNull(),
  latencyMs: integer("latency_ms"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const products = pgTable("products", {
  sku: text("sku").primaryKey(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The source of truth for stock: one row per (store, SKU), changed only inside a command's transaction. */
export const stockItems = pgTable(
  "stock_items",
  {
    storeId: text("store_id")
      .notNull()
      .references(() => stores.storeId),
    sku: text("sku")
      .notNull()
      .references(() => products.sku),
    onHand: integer("on_hand").notNull(),
    reserved: integer("reserved").notNull(),
    version: integer("version").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.sku] }), index("stock_items_sku_idx").on(t.sku)],
);

/** The first response to each (caller, Idempotency-Key), committed with the state change it describes. */
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    statusCode: integer("status_code").notNull(),
    /** Kept as json, not jsonb, so a replay returns the body byte for byte as first sent. */
    response: json("response").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_records_created_at_idx").on(t.createdAt)],
);

/**
 * Domain events, written in the command's transaction and published by the relay.
 * Rows are kept after publishing: they are the hub's event log.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: uuid("event_id").notNull().unique(),
    topic: text("topic").notNull(),
    messageKey: text("message_key").notNull(),
    event: jsonb("event").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (t) => [index("outbox_unpublished_idx").on(t.id).where(sql`${t.publishedAt} IS NULL`)],
);
