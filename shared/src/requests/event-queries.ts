import { z } from "zod";
import { skuSchema, storeIdSchema } from "../identifiers.js";

/** The timeline's cursor is opaque to callers: the last position they have seen, encoded. */
export const encodeEventCursor = (position: number): string => Buffer.from(`p${position}`).toString("base64url");
export const decodeEventCursor = (cursor: string): number | undefined => {
  const match = /^p(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? Number(match[1]) : undefined;
};

export const eventTimelineQuerySchema = z.object({
  storeId: storeIdSchema.optional(),
  sku: skuSchema.optional(),
  since: z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 timestamp, e.g. 2026-01-31T09:00:00Z" })
    .transform((value, ctx) => {
      const at = new Date(value);
      if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1970 || at.getUTCFullYear() > 9999) {
        ctx.addIssue({ code: "custom", message: "must be a time between 1970 and 9999" });
        return z.NEVER;
      }
      return at.toISOString();
    })
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "must be an integer from 1 to 1000")
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional()
    .transform((v) => v ?? 100),
  cursor: z
    .string()
    .max(40)
    .transform((c, ctx) => {
      const position = decodeEventCursor(c);
      if (position === undefined) ctx.addIssue({ code: "custom", message: "not a cursor this API returned" });
      return position ?? 0;
    })
    .optional(),
});
export type EventTimelineQuery = z.infer<typeof eventTimelineQuerySchema>;
