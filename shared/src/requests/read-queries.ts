import { z } from "zod";
import { skuSchema, storeIdSchema } from "../identifiers.js";

const integerParam = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a non-negative integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback);

export const availabilityQuerySchema = z.object({ sku: skuSchema, storeId: storeIdSchema.optional() });

export const productTotalsQuerySchema = z.object({
  q: z.string().max(100).optional(),
  page: integerParam(0, 1_000_000, 0),
  size: integerParam(1, 200, 50),
});
export type ProductTotalsQuery = z.infer<typeof productTotalsQuerySchema>;
