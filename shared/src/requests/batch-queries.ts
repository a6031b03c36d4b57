import { z } from "zod";
import { skuSchema, storeIdSchema } from "../identifiers.js";

/** Most SKUs one batch read may name. */
export const MAX_BATCH_SKUS = 200;

/**
 * `GET /v1/availability:batch?skus=A1,B2&storeId=S1`: 1-200 SKUs, comma-separated; a SKU named twice is read once,
 * and the answer keeps the order of first mention.
 */
export const availabilityBatchQuerySchema = z.object({
  skus: z
    .string()
    .max(MAX_BATCH_SKUS * 65, `at most ${MAX_BATCH_SKUS} SKUs`)
    .transform((value) => [...new Set(value.split(","))])
    .pipe(z.array(skuSchema).min(1).max(MAX_BATCH_SKUS, `at most ${MAX_BATCH_SKUS} SKUs`)),
  storeId: storeIdSchema.optional(),
});
export type AvailabilityBatchQuery = z.infer<typeof availabilityBatchQuerySchema>;

/** `GET /v1/stream/stock?sku=&storeId=`: only the changes of this SKU and/or this store. */
export const stockStreamQuerySchema = z.object({ sku: skuSchema.optional(), storeId: storeIdSchema.optional() });
