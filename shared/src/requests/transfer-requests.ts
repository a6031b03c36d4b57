import { z } from "zod";
import { labelSchema, MAX_QUANTITY, skuSchema, storeIdSchema } from "../identifiers.js";
import { TRANSFER_RECEIPTS } from "../transfer.js";
import { MAX_RESERVATION_LINES } from "./reservation-requests.js";

export const createTransferRequestSchema = z
  .strictObject({
    fromStore: storeIdSchema,
    toStore: storeIdSchema,
    lines: z
      .array(z.strictObject({ sku: skuSchema, qty: z.number().int().min(1).max(MAX_QUANTITY) }))
      .min(1)
      .max(MAX_RESERVATION_LINES),
    receipt: z.enum(TRANSFER_RECEIPTS).default("auto"),
    traceId: labelSchema(128).optional(),
  })
  .refine((t) => t.fromStore !== t.toStore, { message: "a transfer needs two different stores", path: ["toStore"] });
export type CreateTransferRequest = z.infer<typeof createTransferRequestSchema>;

export const receiveTransferRequestSchema = z.strictObject({ traceId: labelSchema(128).optional() });
