import { z } from "zod";
import { skuSchema, storeIdSchema } from "../identifiers.js";
import { RESERVATION_STATUSES } from "../reservation.js";
import { TRANSFER_STATUSES } from "../transfer.js";
import type { ReservationView } from "../reservation.js";
import type { TransferView } from "../transfer.js";

/** Where a list page ended: the last row's creation time (microseconds since 1970) and id, newest first. */
export interface ListCursor {
  readonly createdAtMicros: number;
  readonly id: string;
}

export const encodeListCursor = (cursor: ListCursor): string =>
  Buffer.from(`c${cursor.createdAtMicros}.${cursor.id}`).toString("base64url");

export const decodeListCursor = (cursor: string): ListCursor | undefined => {
  const match = /^c(\d{1,17})\.([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? { createdAtMicros: Number(match[1]), id: match[2]! } : undefined;
};

/** `limit` of a paged list: 1 to 200, 50 when absent. */
export const listLimitSchema = z
  .string()
  .regex(/^\d{1,3}$/, "must be an integer from 1 to 200")
  .transform(Number)
  .pipe(z.number().int().min(1).max(200))
  .optional()
  .transform((v) => v ?? 50);

/** `cursor` of a paged list: only a `nextCursor` this API returned. */
export const listCursorSchema = z
  .string()
  .max(120)
  .transform((c, ctx) => {
    const decoded = decodeListCursor(c);
    if (!decoded) ctx.addIssue({ code: "custom", message: "not a cursor this API returned" });
    return decoded ?? { createdAtMicros: 0, id: "" };
  })
  .optional();

/** Age in seconds, up to a year: "CREATED for more than 10 minutes" is `olderThanSeconds=600`. */
const olderThanSecondsSchema = z
  .string()
  .regex(/^\d{1,8}$/, "must be a whole number of seconds from 0 to 31536000")
  .transform(Number)
  .pipe(z.number().int().min(0).max(31_536_000))
  .optional();

export const reservationListQuerySchema = z.object({
  status: z.enum(RESERVATION_STATUSES).optional(),
  storeId: storeIdSchema.optional(),
  sku: skuSchema.optional(),
  olderThanSeconds: olderThanSecondsSchema,
  limit: listLimitSchema,
  cursor: listCursorSchema,
});
export type ReservationListQuery = z.infer<typeof reservationListQuerySchema>;

export const transferListQuerySchema = z.object({
  status: z.enum(TRANSFER_STATUSES).optional(),
  /** Matches either end of the transfer. */
  storeId: storeIdSchema.optional(),
  sku: skuSchema.optional(),
  olderThanSeconds: olderThanSecondsSchema,
  limit: listLimitSchema,
  cursor: listCursorSchema,
});
export type TransferListQuery = z.infer<typeof transferListQuerySchema>;

export interface ListPage<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}
export type ReservationListPage = ListPage<ReservationView>;
export type TransferListPage = ListPage<TransferView>;
