import { and, asc, eq, lte } from "drizzle-orm";
import { failure, isFailure, type Failure, type Reservation, type ReservationStatus, type StockItem } from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import { reservations } from "../db/schema.js";
import { lockStockItem, saveStockItem } from "../stock/stock-item-rows.js";

type ReservationRow = typeof reservations.$inferSelect;

/** A reservation as the domain sees it, from its row. */
export const reservationFromRow = (row: ReservationRow): Reservation => ({
  reservationId: row.reservationId,
  storeId: row.storeId,
  status: row.status as ReservationStatus,
  lines: row.lines,
  customerId: row.customerId,
  expiresAt: row.expiresAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  version: row.version,
  paymentRef: row.paymentRef,
  cancelReason: row.cancelReason,
});

const toRow = (r: Reservation): ReservationRow => ({
  ...r,
  lines: [...r.lines],
  expiresAt: new Date(r.expiresAt),
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

/** Locks a reservation for the rest of the transaction; the lock order is reservation first, then its items. */
export const lockReservation = async (
  tx: Transaction,
  reservationId: string,
  options: { skipLocked?: boolean } = {},
): Promise<Reservation | Failure> => {
  const [row] = await tx
    .select()
    .from(reservations)
    .where(eq(reservations.reservationId, reservationId))
    .for("update", options.skipLocked ? { skipLocked: true } : {});
  return row ? reservationFromRow(row) : failure("NOT_FOUND", `unknown reservation ${reservationId}`, { reservationId });
};

export const insertReservation = (tx: Transaction, r: Reservation) => tx.insert(reservations).values(toRow(r));

export const saveReservation = (tx: Transaction, r: Reservation) =>
  tx.update(reservations).set(toRow(r)).where(eq(reservations.reservationId, r.reservationId));

/** Locks several items of one store in SKU order, so two commands over the same items never deadlock. */
export const lockStockItems = async (tx: Transaction, storeId: string, skus: readonly string[]): Promise<StockItem[] | Failure> => {
  const items: StockItem[] = [];
  for (const sku of [...skus].sort()) {
    const item = await lockStockItem(tx, storeId, sku);
    if (isFailure(item)) return item;
    items.push(item);
  }
  return items;
};

export const saveStockItems = async (tx: Transaction, items: readonly StockItem[], now: Date) => {
  for (const item of items) await saveStockItem(tx, item, now);
};

/** Reservations whose time is up but which are still CREATED, oldest first. */
export const reservationsDueForExpiry = async (tx: Transaction, now: Date, limit: number): Promise<string[]> => {
  const rows = await tx
    .select({ id: reservations.reservationId })
    .from(reservations)
    .where(and(eq(reservations.status, "CREATED"), lte(reservations.expiresAt, now)))
    .orderBy(asc(reservations.expiresAt))
    .limit(limit);
  return rows.map((r) => r.id);
};
