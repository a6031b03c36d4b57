import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  json,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

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
    inTransit: integer("in_transit").notNull().default(0),
    version: integer("version").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * Set when a replayed offline sale took onHand or available below zero: the item needs counting. A later
     * StockRecounted event for the item (recount or reconciliation) clears it, by a statement trigger on the outbox.
     */
    recountRequiredSince: timestamp("recount_required_since", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.sku] }),
    index("stock_items_sku_idx").on(t.sku),
    index("stock_items_recount_required_idx").on(t.recountRequiredSince).where(sql`${t.recountRequiredSince} IS NOT NULL`),
  ],
);

/**
 * The first response to each (caller, Idempotency-Key), committed with the state change it describes.
 * Kept for `IDEMPOTENCY_RETENTION_MS` (24 h by default); after that a retry under the key is a new request.
 */
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
 * Published rows are kept for `OUTBOX_RETENTION_MS` (7 days by default): they are the hub's event log.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: uuid("event_id").notNull().unique(),
    topic: text("topic").notNull(),
    messageKey: text("message_key").notNull(),
    event: jsonb("event").notNull(),
    /** The item an event concerns, when it concerns one: lets the timeline filter without reading every event. */
    storeId: text("store_id"),
    sku: text("sku"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /**
     * The event's place in the published log, given by the relay in publishing order. Unlike `id`, it never
     * gains a smaller value later, so a timeline paged by it never skips a late-committing event.
     */
    logPosition: bigint("log_position", { mode: "number" }).unique(),
    /**
     * Set when Kafka refused the event for good (too large, an invalid record): the relay moves past it and
     * operators see it in `GET /v1/dlt`; a replay clears it, and the relay tries it again. The error is kept
     * after a replay (the last refusal), and such a row is left out of the backlog's oldest age.
     */
    deadLetteredAt: timestamp("dead_lettered_at", { withTimezone: true }),
    deadLetterError: text("dead_letter_error"),
  },
  (t) => [
    index("outbox_unpublished_idx").on(t.id).where(sql`${t.publishedAt} IS NULL`),
    index("outbox_item_idx").on(t.sku, t.storeId, t.logPosition),
    index("outbox_published_at_idx").on(t.publishedAt).where(sql`${t.publishedAt} IS NOT NULL`),
  ],
);

export const eventLogPosition = pgSequence("event_log_position", { startWith: 1, minValue: 1 });

/** Reservations: units held at one store until confirmed, cancelled or expired. */
export const reservations = pgTable(
  "reservations",
  {
    reservationId: text("reservation_id").primaryKey(),
    storeId: text("store_id")
      .notNull()
      .references(() => stores.storeId),
    status: text("status").notNull(),
    lines: jsonb("lines").notNull().$type<{ sku: string; qty: number }[]>(),
    customerId: text("customer_id"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    version: integer("version").notNull(),
    paymentRef: text("payment_ref"),
    cancelReason: text("cancel_reason"),
  },
  (t) => [index("reservations_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'CREATED'`)],
);

/** Shared by every hub: the round-robin purchase policy's turn counter. */
export const purchaseRoundRobin = pgSequence("purchase_round_robin", { startWith: 0, minValue: 0 });

/** Transfers between stores: a small saga, each step driven by the previous step's event. */
export const transfers = pgTable(
  "transfers",
  {
    transferId: text("transfer_id").primaryKey(),
    fromStore: text("from_store").notNull(),
    toStore: text("to_store").notNull(),
    lines: jsonb("lines").notNull().$type<{ sku: string; qty: number }[]>(),
    receipt: text("receipt").notNull(),
    status: text("status").notNull(),
    failureReason: text("failure_reason"),
    history: jsonb("history").notNull().$type<{ status: string; at: string; reason?: string }[]>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    version: integer("version").notNull(),
  },
  (t) => [index("transfers_open_idx").on(t.updatedAt).where(sql`${t.status} NOT IN ('COMPLETED', 'FAILED')`)],
);

/** Dead letters an operator has sent back to their topic: they leave the dead-letter list. */
export const deadLetterReplays = pgTable(
  "dead_letter_replays",
  {
    topic: text("topic").notNull(),
    messageId: text("message_id").notNull(),
    replayedAt: timestamp("replayed_at", { withTimezone: true }).notNull().defaultNow(),
    replayedBy: text("replayed_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.messageId] })],
);

/**
 * How far the chain-view publisher has read the published event log (`outbox.log_position`): every item
 * changed up to here has its latest state on the chain-view topic. One row, created by the first snapshot.
 */
export const chainViewPosition = pgTable("chain_view_position", {
  name: text("name").primaryKey(),
  logPosition: bigint("log_position", { mode: "number" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
