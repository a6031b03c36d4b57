import { describe, expect, it } from "vitest";
import { reserveStock } from "./reserve-stock.js";
import { confirmReservation, releaseReservation } from "./reservation-transitions.js";
import { mergeLines, type Reservation } from "./reservation.js";
import { isFailure } from "./errors.js";
import type { StockItem } from "./stock-item.js";

const item = (sku: string, onHand: number, reserved = 0, version = 3): StockItem => ({
  storeId: "S1",
  sku,
  onHand,
  reserved,
  inTransit: 0,
  version,
});
const now = new Date("2026-01-01T10:00:00.000Z");
const create = (items: StockItem[], lines: { sku: string; qty: number }[], ttlSeconds = 60) =>
  reserveStock(items, { reservationId: "r1", storeId: "S1", lines: mergeLines(lines), customerId: "c1", now, ttlSeconds });

const created = (): { reservation: Reservation; items: StockItem[] } => {
  const decision = create(
    [item("A", 5), item("B", 2)],
    [
      { sku: "A", qty: 2 },
      { sku: "B", qty: 1 },
    ],
  );
  if (isFailure(decision)) throw new Error(decision.message);
  return { reservation: decision.reservation, items: [...decision.items] };
};

describe("reserving stock", () => {
  it("given enough units on every line, then each item's reserved grows and the reservation is CREATED with its expiry", () => {
    const { reservation, items } = created();
    expect(reservation).toMatchObject({ status: "CREATED", version: 1, expiresAt: "2026-01-01T10:01:00.000Z" });
    expect(items.map((i) => [i.sku, i.onHand, i.reserved, i.version])).toEqual([
      ["A", 5, 2, 4],
      ["B", 2, 1, 4],
    ]);
  });

  it("given one short line, then nothing is held and every short line is named", () => {
    const decision = create(
      [item("A", 5), item("B", 2, 2)],
      [
        { sku: "A", qty: 2 },
        { sku: "B", qty: 1 },
      ],
    );
    expect(decision).toMatchObject({ code: "INSUFFICIENT_STOCK", details: { lines: [{ sku: "B", requested: 1, available: 0 }] } });
  });

  it("given the same SKU on two lines, then they are checked and held as one", () => {
    const decision = create(
      [item("A", 3)],
      [
        { sku: "A", qty: 2 },
        { sku: "A", qty: 2 },
      ],
    );
    expect(decision).toMatchObject({ code: "INSUFFICIENT_STOCK", details: { lines: [{ sku: "A", requested: 4, available: 3 }] } });
  });
});

describe("reservation transitions", () => {
  it("confirm sells the held units: onHand and reserved both drop", () => {
    const { reservation, items } = created();
    const decision = confirmReservation(reservation, items, { now, paymentRef: "p1" });
    if (isFailure(decision)) throw new Error(decision.message);
    expect(decision.reservation).toMatchObject({ status: "CONFIRMED", version: 2 });
    expect(decision.items.map((i) => [i.sku, i.onHand, i.reserved])).toEqual([
      ["A", 3, 0],
      ["B", 1, 0],
    ]);
  });

  it("confirm is refused while a recount left fewer units on the shelf than the line holds", () => {
    const { reservation, items } = created();
    const recounted = items.map((i) => (i.sku === "A" ? { ...i, onHand: 1 } : i));
    expect(confirmReservation(reservation, recounted, { now, paymentRef: null })).toMatchObject({
      code: "INSUFFICIENT_STOCK",
      details: { lines: [{ sku: "A", requested: 2, onHand: 1 }] },
    });
  });

  it("cancel gives the held units back", () => {
    const { reservation, items } = created();
    const decision = releaseReservation(reservation, items, { now, why: "cancelled", reason: "user" });
    if (isFailure(decision)) throw new Error(decision.message);
    expect(decision.reservation.status).toBe("CANCELLED");
    expect(decision.items.map((i) => [i.onHand, i.reserved])).toEqual([
      [5, 0],
      [2, 0],
    ]);
  });

  it("a confirm after expiresAt is refused as RESERVATION_EXPIRED, even before the sweep ran", () => {
    const { reservation, items } = created();
    const later = new Date(now.getTime() + 61_000);
    expect(confirmReservation(reservation, items, { now: later, paymentRef: null })).toMatchObject({ code: "RESERVATION_EXPIRED" });
  });

  it("expiry before expiresAt is refused; after it, the units are released", () => {
    const { reservation, items } = created();
    expect(releaseReservation(reservation, items, { now, why: "expired", reason: null })).toMatchObject({ code: "INVALID_STATE" });
    const decision = releaseReservation(reservation, items, { now: new Date(now.getTime() + 60_000), why: "expired", reason: null });
    expect(isFailure(decision) ? decision.code : decision.reservation.status).toBe("EXPIRED");
  });

  it.each([
    ["CONFIRMED", "confirm", "INVALID_STATE"],
    ["CANCELLED", "confirm", "INVALID_STATE"],
    ["EXPIRED", "confirm", "RESERVATION_EXPIRED"],
    ["CONFIRMED", "cancel", "INVALID_STATE"],
    ["EXPIRED", "cancel", "INVALID_STATE"],
  ] as const)("a %s reservation cannot %s: %s with its status", (status, action, code) => {
    const { reservation, items } = created();
    const moved = { ...reservation, status };
    const decision =
      action === "confirm"
        ? confirmReservation(moved, items, { now, paymentRef: null })
        : releaseReservation(moved, items, { now, why: "cancelled", reason: null });
    expect(decision).toMatchObject({ code, details: { status } });
  });
});
