import { z } from "zod";
import { labelSchema, quantitySchema, skuSchema, storeIdSchema } from "../identifiers.js";

export const createStoreRequestSchema = z.strictObject({
  storeId: storeIdSchema,
  name: labelSchema(200),
  /** Typical round trip from the hub to the store, used by the lowest-latency purchase policy. */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  traceId: labelSchema(128).optional(),
});
export type CreateStoreRequest = z.infer<typeof createStoreRequestSchema>;

export const createProductRequestSchema = z.strictObject({
  sku: skuSchema,
  name: labelSchema(200),
  initialOnHand: quantitySchema,
  traceId: labelSchema(128).optional(),
});
export type CreateProductRequest = z.infer<typeof createProductRequestSchema>;
