import { z } from "zod";
import { IDENTIFIER_PATTERN, labelSchema, skuSchema, storeIdSchema, MAX_QUANTITY } from "../identifiers.js";
import { DEFAULT_RESERVATION_TTL_SECONDS, MAX_RESERVATION_TTL_SECONDS } from "../reservation.js";
import { PURCHASE_POLICIES } from "../purchase-policy.js";

/** Lines per reservation: enough for any basket, small enough to lock in one transaction. */
export const MAX_RESERVATION_LINES = 100;

const lineSchema = z.strictObject({ sku: skuSchema, qty: z.number().int().min(1).max(MAX_QUANTITY) });

export const createReservationRequestSchema = z.strictObject({
  storeId: storeIdSchema,
  lines: z.array(lineSchema).min(1).max(MAX_RESERVATION_LINES),
  ttlSeconds: z.number().int().min(1).max(MAX_RESERVATION_TTL_SECONDS).default(DEFAULT_RESERVATION_TTL_SECONDS),
  customerId: labelSchema(128).optional(),
  traceId: labelSchema(128).optional(),
});
export type CreateReservationRequest = z.infer<typeof createReservationRequestSchema>;

export const confirmReservationRequestSchema = z.strictObject({
  paymentRef: labelSchema(128).optional(),
  traceId: labelSchema(128).optional(),
});

export const cancelReservationRequestSchema = z.strictObject({
  reason: labelSchema(200).optional(),
  traceId: labelSchema(128).optional(),
});

/** Server-made ids (reservations, transfers) share the identifier alphabet. */
export const recordIdSchema = z.string().regex(IDENTIFIER_PATTERN, "not an id this API issues");

export const purchaseRequestSchema = z.strictObject({
  sku: skuSchema,
  qty: z.number().int().min(1).max(MAX_QUANTITY),
  customerId: labelSchema(128).optional(),
  policy: z.enum(PURCHASE_POLICIES).default("highest-available"),
  traceId: labelSchema(128).optional(),
});
export type PurchaseRequest = z.infer<typeof purchaseRequestSchema>;
