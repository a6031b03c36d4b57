import { failure, type Failure } from "./errors.js";
import type { StockItem } from "./stock-item.js";
import { STOCK_EVENT_TYPES, stockItemEventDraft } from "./stock-events.js";
import { RESERVATION_EVENT_TYPES, reservationEventDraft } from "./reservation-events.js";
import type { Reservation } from "./reservation.js";
import type { ReservationDecision } from "./reserve-stock.js";

const hasExpired = (r: Reservation, now: Date) => now.getTime() >= Date.parse(r.expiresAt);

/** Only a CREATED reservation can move; anything else is refused with its current status. */
const checkCreated = (r: Reservation, action: string): Failure | undefined => {
  if (r.status === "CREATED") return undefined;
  if (r.status === "EXPIRED" && action === "confirm") {
    return failure("RESERVATION_EXPIRED", `reservation ${r.reservationId} expired at ${r.expiresAt}`, {
      status: r.status,
      expiresAt: r.expiresAt,
    });
  }
  return failure("INVALID_STATE", `reservation ${r.reservationId} is ${r.status}; only CREATED can ${action}`, { status: r.status });
};

const itemFor = (items: readonly StockItem[], sku: string): StockItem => {
  const item = items.find((i) => i.sku === sku);
  if (!item) throw new Error(`no stock item loaded for ${sku}`);
  return item;
};

const transition = (r: Reservation, now: Date, changes: Partial<Reservation>): Reservation => ({
  ...r,
  ...changes,
  updatedAt: now.toISOString(),
  version: r.version + 1,
});

/**
 * Confirm: the held units are sold — onHand and reserved both drop by each line's qty.
 * Refused once expiresAt has passed, even before the expiry sweep has released the units; and refused while a
 * recount has left fewer units on the shelf than the line holds, since those units cannot be handed over.
 * The reservation then stays CREATED, to be confirmed after a restock or cancelled.
 */
export const confirmReservation = (
  r: Reservation,
  items: readonly StockItem[],
  command: { now: Date; paymentRef: string | null },
): ReservationDecision | Failure => {
  const refused = checkCreated(r, "confirm");
  if (refused) return refused;
  if (hasExpired(r, command.now)) {
    return failure("RESERVATION_EXPIRED", `reservation ${r.reservationId} expired at ${r.expiresAt}`, {
      status: r.status,
      expiresAt: r.expiresAt,
    });
  }
  const short = r.lines
    .map((line) => ({ sku: line.sku, requested: line.qty, onHand: itemFor(items, line.sku).onHand }))
    .filter((line) => line.onHand < line.requested);
  if (short.length > 0) {
    return failure("INSUFFICIENT_STOCK", `a recount left fewer units on the shelf than reservation ${r.reservationId} holds`, {
      storeId: r.storeId,
      lines: short,
    });
  }
  const reservation = transition(r, command.now, { status: "CONFIRMED", paymentRef: command.paymentRef });
  const next = r.lines.map((line) => {
    const item = itemFor(items, line.sku);
    return { ...item, onHand: item.onHand - line.qty, reserved: item.reserved - line.qty, version: item.version + 1 };
  });
  return {
    reservation,
    items: next,
    events: [
      reservationEventDraft(reservation, RESERVATION_EVENT_TYPES.confirmed, { paymentRef: command.paymentRef }),
      ...next.map((item, i) =>
        stockItemEventDraft(item, STOCK_EVENT_TYPES.sold, {
          qty: r.lines[i]!.qty,
          reservationId: r.reservationId,
          customerId: r.customerId,
          policy: null,
        }),
      ),
    ],
  };
};

/** Cancel or expire: the held units go back to available. */
export const releaseReservation = (
  r: Reservation,
  items: readonly StockItem[],
  command: { now: Date; why: "cancelled" | "expired"; reason: string | null },
): ReservationDecision | Failure => {
  const refused = checkCreated(r, command.why === "cancelled" ? "cancel" : "expire");
  if (refused) return refused;
  if (command.why === "expired" && !hasExpired(r, command.now)) {
    return failure("INVALID_STATE", `reservation ${r.reservationId} does not expire before ${r.expiresAt}`, { status: r.status });
  }
  const reservation = transition(r, command.now, {
    status: command.why === "cancelled" ? "CANCELLED" : "EXPIRED",
    cancelReason: command.reason,
  });
  const next = r.lines.map((line) => {
    const item = itemFor(items, line.sku);
    return { ...item, reserved: item.reserved - line.qty, version: item.version + 1 };
  });
  return {
    reservation,
    items: next,
    events: [
      reservationEventDraft(
        reservation,
        command.why === "cancelled" ? RESERVATION_EVENT_TYPES.cancelled : RESERVATION_EVENT_TYPES.expired,
        command.reason ? { reason: command.reason } : {},
      ),
      ...next.map((item, i) =>
        stockItemEventDraft(item, STOCK_EVENT_TYPES.released, {
          qty: r.lines[i]!.qty,
          reservationId: r.reservationId,
          reason: command.why,
        }),
      ),
    ],
  };
};
