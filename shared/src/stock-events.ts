import { z } from "zod";
import { TOPICS, stockItemMessageKey } from "./topics.js";
import { STOCK_ITEM_AGGREGATE, type StockItem } from "./stock-item.js";
import type { EventDraft } from "./event-envelope.js";
import { itemKey } from "./identifiers.js";

/**
 * Every stock-item event carries the item's state after the change, next to the change and its cause,
 * so a reader can explain each number and a projection can apply any event on its own.
 */
const stockItemStateFields = {
  storeId: z.string(),
  sku: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  /** Added with transfers; events written before carry none, which means 0. */
  inTransit: z.number().int().default(0),
};

export const ADJUSTMENT_REASONS = ["sale", "damage", "count", "manual", "restock", "return"] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export const stockAdjustedPayloadSchema = z.object({
  ...stockItemStateFields,
  delta: z.number().int(),
  /** The request's reason, or `initial` for the units a new product arrives with. */
  reason: z.string(),
  /** A sale or return recorded by an agent while cut off from the hub, replayed later: it happened at `occurredAt`. */
  offline: z.literal(true).optional(),
  occurredAt: z.string().optional(),
});

/**
 * An offline sale took the item below zero: it needs counting. Same aggregate version as the change that caused
 * it (it changes no number), so replicas have nothing to apply; operators list such items on the hub.
 */
export const stockRecountRequiredPayloadSchema = z.object({
  ...stockItemStateFields,
  available: z.number().int(),
  cause: z.literal("offline-sale-below-zero"),
  occurredAt: z.string(),
});

export const stockRecountedPayloadSchema = z.object({
  ...stockItemStateFields,
  previousOnHand: z.number().int(),
  delta: z.number().int(),
  countRef: z.string().nullable(),
  /** Set when the count came from a back-office reconciliation. */
  reconciliationId: z.string().optional(),
});

/** Units held for a reservation: reserved grows, onHand stays. */
export const stockReservedPayloadSchema = z.object({ ...stockItemStateFields, qty: z.number().int(), reservationId: z.string() });

/** Held units given back, because the reservation was cancelled or expired. */
export const stockReleasedPayloadSchema = z.object({
  ...stockItemStateFields,
  qty: z.number().int(),
  reservationId: z.string(),
  reason: z.enum(["cancelled", "expired"]),
});

/** Units sold: onHand drops; from a confirmed reservation (reserved drops too) or a purchase without one. */
export const stockSoldPayloadSchema = z.object({
  ...stockItemStateFields,
  qty: z.number().int(),
  reservationId: z.string().nullable(),
  customerId: z.string().nullable(),
  policy: z.string().nullable(),
});

/** A transfer step at this item: units leaving (dispatched), arriving in transit, received, or returned. */
export const stockTransferredPayloadSchema = z.object({
  ...stockItemStateFields,
  transferId: z.string(),
  step: z.enum(["dispatched", "incoming", "received", "returned", "recalled"]),
  qty: z.number().int(),
});

export const STOCK_EVENT_TYPES = {
  adjusted: "StockAdjusted",
  recounted: "StockRecounted",
  reserved: "StockReserved",
  released: "StockReleased",
  sold: "StockSold",
  transferred: "StockTransferred",
} as const;

/** Not among STOCK_EVENT_TYPES: it changes no number, so replicas ignore it (see its payload schema). */
export const STOCK_RECOUNT_REQUIRED = "StockRecountRequired";

export const stockItemPayloadSchemas: Record<string, z.ZodType<StockItemEventPayload>> = {
  [STOCK_EVENT_TYPES.adjusted]: stockAdjustedPayloadSchema,
  [STOCK_EVENT_TYPES.recounted]: stockRecountedPayloadSchema,
  [STOCK_EVENT_TYPES.reserved]: stockReservedPayloadSchema,
  [STOCK_EVENT_TYPES.released]: stockReleasedPayloadSchema,
  [STOCK_EVENT_TYPES.sold]: stockSoldPayloadSchema,
  [STOCK_EVENT_TYPES.transferred]: stockTransferredPayloadSchema,
};

export interface StockItemEventPayload {
  storeId: string;
  sku: string;
  onHand: number;
  reserved: number;
  inTransit: number;
}

export const stockItemEventDraft = (next: StockItem, eventType: string, change: Record<string, unknown>): EventDraft => ({
  topic: TOPICS.stock,
  key: stockItemMessageKey(next.storeId, next.sku),
  eventType,
  eventVersion: 1,
  aggregate: { type: STOCK_ITEM_AGGREGATE, id: itemKey(next.storeId, next.sku), version: next.version },
  payload: { storeId: next.storeId, sku: next.sku, onHand: next.onHand, reserved: next.reserved, inTransit: next.inTransit, ...change },
});
