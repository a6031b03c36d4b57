import { z } from "zod";
import { deltaSchema, labelSchema, quantitySchema, skuSchema, storeIdSchema } from "../identifiers.js";
import { ADJUSTMENT_REASONS } from "../stock-events.js";
import { OFFLINE_REASONS } from "../offline-sale.js";

/** Bodies are strict: a field the contract does not define is a 400, not silently dropped. */
export const adjustmentRequestSchema = z
  .strictObject({
    storeId: storeIdSchema,
    sku: skuSchema,
    delta: deltaSchema.refine((d) => d !== 0, "must not be 0"),
    reason: z.enum(ADJUSTMENT_REASONS),
    traceId: labelSchema(128).optional(),
    /** Set by an agent replaying a sale or return it journaled while the hub was unreachable. */
    offline: z.literal(true).optional(),
    /** When an offline sale or return happened; required with `offline`, refused without it. */
    occurredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.offline && body.occurredAt === undefined)
      ctx.addIssue({ code: "custom", path: ["occurredAt"], message: "required when offline is true" });
    if (!body.offline && body.occurredAt !== undefined)
      ctx.addIssue({ code: "custom", path: ["occurredAt"], message: "only with offline: true" });
    if (body.offline && !(OFFLINE_REASONS as readonly string[]).includes(body.reason)) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: `offline adjustments are ${OFFLINE_REASONS.join(" or ")}` });
    }
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
