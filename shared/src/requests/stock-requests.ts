import { z } from "zod";
import { deltaSchema, labelSchema, quantitySchema, skuSchema, storeIdSchema } from "../identifiers.js";
import { ADJUSTMENT_REASONS } from "../stock-events.js";

/** Bodies are strict: a field the contract does not define is a 400, not silently dropped. */
export const adjustmentRequestSchema = z.strictObject({
  storeId: storeIdSchema,
  sku: skuSchema,
  delta: deltaSchema.refine((d) => d !== 0, "must not be 0"),
  reason: z.enum(ADJUSTMENT_REASONS),
  traceId: labelSchema(128).optional(),
});
export type AdjustmentRequest = z.infer<typeof adjustmentRequestSchema>;

export const setAbsoluteRequestSchema = z.strictObject({
  storeId: storeIdSchema,
  sku: skuSchema,
  onHand: quantitySchema,
  countRef: labelSchema(128).optional(),
  traceId: labelSchema(128).optional(),
});
export type SetAbsoluteRequest = z.infer<typeof setAbsoluteRequestSchema>;
