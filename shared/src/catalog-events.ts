import { z } from "zod";
import { TOPICS } from "./topics.js";
import type { EventDraft } from "./event-envelope.js";

export const CATALOG_EVENT_TYPES = {
  storeRegistered: "StoreRegistered",
  productCreated: "ProductCreated",
} as const;

export const storeRegisteredPayloadSchema = z.object({
  storeId: z.string(),
  name: z.string(),
  latencyMs: z.number().int().nullable(),
});
export type StoreRegisteredPayload = z.infer<typeof storeRegisteredPayloadSchema>;

export const productCreatedPayloadSchema = z.object({ sku: z.string(), name: z.string() });
export type ProductCreatedPayload = z.infer<typeof productCreatedPayloadSchema>;

/** Store and product events travel on the stock topic too, so one consumer sees the whole catalogue. */
export const storeRegisteredDraft = (store: StoreRegisteredPayload): EventDraft => ({
  topic: TOPICS.stock,
  key: store.storeId,
  eventType: CATALOG_EVENT_TYPES.storeRegistered,
  eventVersion: 1,
  aggregate: { type: "store", id: store.storeId, version: 1 },
  payload: { ...store },
});

export const productCreatedDraft = (product: ProductCreatedPayload): EventDraft => ({
  topic: TOPICS.stock,
  key: product.sku,
  eventType: CATALOG_EVENT_TYPES.productCreated,
  eventVersion: 1,
  aggregate: { type: "product", id: product.sku, version: 1 },
  payload: { ...product },
});
