import { isFailure, mergeLines, reservationView, reserveStock, type CreateReservationRequest } from "@inventory/shared";
import { sqlCommand, type SqlCommand } from "../command-pipeline/command.js";
import { insertReservation, lockStockItems, saveStockItems } from "./reservation-rows.js";

/** Holds every line's units at one store, or none of them. */
export const createReservation = (request: CreateReservationRequest, reservationId: string): SqlCommand =>
  sqlCommand(async (ctx) => {
    const lines = mergeLines(request.lines);
    const items = await lockStockItems(
      ctx.tx,
      request.storeId,
      lines.map((l) => l.sku),
    );
    if (isFailure(items)) return items;
    const decision = reserveStock(items, {
      reservationId,
      storeId: request.storeId,
      lines,
      customerId: request.customerId ?? null,
      now: ctx.now,
      ttlSeconds: request.ttlSeconds,
    });
    if (isFailure(decision)) return decision;
    await insertReservation(ctx.tx, decision.reservation);
    await saveStockItems(ctx.tx, decision.items, ctx.now);
    decision.events.forEach(ctx.emit);
    return {
      status: 202,
      body: reservationView(decision.reservation),
      headers: { Location: `/v1/reservations/${reservationId}` },
    };
  });
