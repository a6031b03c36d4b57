import { failure, type Failure } from "./errors.js";
import type { EventDraft } from "./event-envelope.js";
import { sellable, type StockItem } from "./stock-item.js";
import { STOCK_EVENT_TYPES, stockItemEventDraft } from "./stock-events.js";
import { RESERVATION_EVENT_TYPES, reservationEventDraft } from "./reservation-events.js";
import type { Reservation, ReservationLine } from "./reservation.js";

export interface ReservationDecision {
  readonly reservation: Reservation;
  readonly items: readonly StockItem[];
  readonly events: readonly EventDraft[];
}

export interface CreateReservation {
  readonly reservationId: string;
  readonly storeId: string;
  /** Merged: one line per SKU. */
  readonly lines: readonly ReservationLine[];
  readonly customerId: string | null;
  readonly now: Date;
  readonly ttlSeconds: number;
}

const itemFor = (items: readonly StockItem[], sku: string): StockItem => {
  const item = items.find((i) => i.sku === sku);
  if (!item) throw new Error(`no stock item loaded for ${sku}`);
  return item;
};

/** All lines or none: refused with every short line named when any line lacks available units. */
export const reserveStock = (items: readonly StockItem[], command: CreateReservation): ReservationDecision | Failure => {
  const short = command.lines
    .map((line) => ({ sku: line.sku, requested: line.qty, available: sellable(itemFor(items, line.sku)) }))
    .filter((line) => line.available < line.requested);
  if (short.length > 0) {
    return failure("INSUFFICIENT_STOCK", `not enough units at ${command.storeId} for ${short.map((l) => l.sku).join(", ")}`, {
      storeId: command.storeId,
      lines: short,
    });
  }
  const at = command.now.toISOString();
  const reservation: Reservation = {
    reservationId: command.reservationId,
    storeId: command.storeId,
    status: "CREATED",
    lines: command.lines,
    customerId: command.customerId,
    expiresAt: new Date(command.now.getTime() + command.ttlSeconds * 1000).toISOString(),
    createdAt: at,
    updatedAt: at,
    version: 1,
    paymentRef: null,
    cancelReason: null,
  };
  const next = command.lines.map((line) => {
    const item = itemFor(items, line.sku);
    return { ...item, reserved: item.reserved + line.qty, version: item.version + 1 };
  });
  return {
    reservation,
    items: next,
    events: [
      reservationEventDraft(reservation, RESERVATION_EVENT_TYPES.created),
      ...next.map((item, i) =>
        stockItemEventDraft(item, STOCK_EVENT_TYPES.reserved, { qty: command.lines[i]!.qty, reservationId: reservation.reservationId }),
      ),
    ],
  };
};
