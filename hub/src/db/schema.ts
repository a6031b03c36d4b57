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
  uniqueIndex,
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

/** Webhook subscriptions: where the hub posts stock changes, signed with `secret` (Standard Webhooks). */
export const webhookSubscriptions = pgTable("webhook_subscriptions", {
  webhookId: uuid("webhook_id").primaryKey(),
  url: text("url").notNull(),
  eventTypes: text("event_types").array().notNull(),
  sku: text("sku"),
  storeId: text("store_id"),
  description: text("description"),
  /** `whsec_<base64>`: needed to sign every delivery, so kept; shown to the caller only when created. */
  secret: text("secret").notNull(),
  status: text("status").notNull(),
  disabledReason: text("disabled_reason"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  createdBy: text("created_by").notNull(),
});

/**
 * One row per (subscription, event): the delivery queue the hubs' dispatchers work from, fed by the webhook
 * consumer. `seq` is the order rows were queued, which per item is the item's event order; only the lowest
 * pending `seq` of a (subscription, item) is ever sent, so a failing delivery holds back that item's later ones.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id").notNull().unique(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhookSubscriptions.webhookId, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    itemKey: text("item_key").notNull(),
    /** The event's traceId, logged with every attempt and sent as X-Trace-Id. */
    traceId: text("trace_id"),
    /** The request body exactly as signed and sent on every attempt. */
    body: text("body").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A dispatcher that claimed the row holds it until then; past it (the hub died) another may claim it. */
    leasedUntil: timestamp("leased_until", { withTimezone: true }),
    firstAttemptAt: timestamp("first_attempt_at", { withTimezone: true }),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    lastResponseStatus: integer("last_response_status"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_idx").on(t.webhookId, t.eventId),
    index("webhook_deliveries_pending_idx").on(t.webhookId, t.itemKey, t.seq).where(sql`${t.status} = 'PENDING'`),
    index("webhook_deliveries_list_idx").on(t.webhookId, t.createdAt, t.deliveryId),
    index("webhook_deliveries_finished_idx").on(t.lastAttemptAt).where(sql`${t.status} <> 'PENDING'`),
  ],
);
