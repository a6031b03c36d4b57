import {
  authorize,
  confirmReservation,
  isFailure,
  releaseReservation,
  reservationView,
  type Failure,
  type Reservation,
  type ReservationDecision,
  type StockItem,
} from "@inventory/shared";
import { sqlCommand, type SqlCommand } from "../command-pipeline/command.js";
import { lockReservation, lockStockItems, saveReservation, saveStockItems } from "./reservation-rows.js";

type Decide = (reservation: Reservation, items: readonly StockItem[], now: Date) => ReservationDecision | Failure;

/**
 * Moves a reservation and its items together. The reservation row is locked first, so confirm, cancel and
 * expiry of one reservation run one after another and only the first finds it CREATED.
 */
const transitionReservation = (reservationId: string, decide: Decide, options: { skipLocked?: boolean } = {}): SqlCommand =>
  sqlCommand(async (ctx) => {
    const reservation = await lockReservation(ctx.tx, reservationId, options);
    if (isFailure(reservation)) return reservation;
    const notHere = authorize(ctx.principal, "reservation:write", reservation.storeId);
    if (notHere) return notHere;
    const items = await lockStockItems(
      ctx.tx,
      reservation.storeId,
      reservation.lines.map((l) => l.sku),
    );
    if (isFailure(items)) return items;
    const decision = decide(reservation, items, ctx.now);
    if (isFailure(decision)) return decision;
    await saveReservation(ctx.tx, decision.reservation);
    await saveStockItems(ctx.tx, decision.items, ctx.now);
    decision.events.forEach(ctx.emit);
    return { status: 202, body: reservationView(decision.reservation) };
  });

export const confirmReservationCommand = (reservationId: string, paymentRef: string | null) =>
  transitionReservation(reservationId, (r, items, now) => confirmReservation(r, items, { now, paymentRef }));

export const cancelReservationCommand = (reservationId: string, reason: string | null) =>
  transitionReservation(reservationId, (r, items, now) => releaseReservation(r, items, { now, why: "cancelled", reason }));

/** Skips a reservation another hub is already moving; whoever holds it decides. */
export const expireReservationCommand = (reservationId: string) =>
  transitionReservation(reservationId, (r, items, now) => releaseReservation(r, items, { now, why: "expired", reason: null }), {
    skipLocked: true,
  });
