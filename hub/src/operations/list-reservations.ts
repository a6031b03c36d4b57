import { and, desc, eq, getTableColumns, type SQL } from "drizzle-orm";
import { reservationView, type ReservationListPage, type ReservationListQuery } from "@inventory/shared";
import type { Database } from "../db/database.js";
import { reservations } from "../db/schema.js";
import { reservationFromRow } from "../reservations/reservation-rows.js";
import { beforeCursor, createdAtMicros, hasLineFor, olderThan, toPage } from "./list-page.js";

/** Reservations from the hub's own table (the source of truth), newest first, filtered and paged by a keyset cursor. */
export const listReservations = async (db: Database, query: ReservationListQuery): Promise<ReservationListPage> => {
  const filters: SQL[] = [];
  if (query.status !== undefined) filters.push(eq(reservations.status, query.status));
  if (query.storeId !== undefined) filters.push(eq(reservations.storeId, query.storeId));
  if (query.sku !== undefined) filters.push(hasLineFor(reservations.lines, query.sku));
  if (query.olderThanSeconds !== undefined) filters.push(olderThan(reservations.createdAt, query.olderThanSeconds));
  if (query.cursor !== undefined) filters.push(beforeCursor(reservations.createdAt, reservations.reservationId, query.cursor));
  const rows = await db
    .select({ ...getTableColumns(reservations), micros: createdAtMicros(reservations.createdAt) })
    .from(reservations)
    .where(and(...filters))
    .orderBy(desc(reservations.createdAt), desc(reservations.reservationId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (r) => r.reservationId, viewOf);
};

/** One reservation from the hub's own table, in the shape `GET /v1/reservations/{id}` answers; undefined when unknown. */
export const findReservation = async (db: Database, reservationId: string) => {
  const [row] = await db.select().from(reservations).where(eq(reservations.reservationId, reservationId));
  return row ? viewOf(row) : undefined;
};

const viewOf = (r: typeof reservations.$inferSelect) => reservationView(reservationFromRow(r));
