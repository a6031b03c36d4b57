import { z } from "zod";
import { labelSchema, quantitySchema, storeIdSchema } from "../identifiers.js";

/** SKUs per snapshot: a large store's whole range in one request, within the body size limit. */
export const MAX_SNAPSHOT_SKUS = 20_000;

/**
 * A back-office snapshot. SKU keys are checked line by line (a malformed or unknown SKU is rejected with a
 * reason, the rest still applies); a count that is not a whole number from 0 up refuses the whole request.
 */
export const reconciliationRequestSchema = z.strictObject({
  storeId: storeIdSchema,
  snapshotOnHand: z
    .record(z.string().max(200), quantitySchema)
    .refine((snapshot) => Object.keys(snapshot).length >= 1, "must name at least one SKU")
    .refine((snapshot) => Object.keys(snapshot).length <= MAX_SNAPSHOT_SKUS, `at most ${MAX_SNAPSHOT_SKUS} SKUs`),
  source: labelSchema(128).optional(),
  traceId: labelSchema(128).optional(),
});
export type ReconciliationRequest = z.infer<typeof reconciliationRequestSchema>;
