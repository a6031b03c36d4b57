import { describe, expect, it } from "vitest";
import { sellStock } from "./sell-stock.js";
import { sellable, type StockItem } from "./stock-item.js";

const given = (over: Partial<StockItem> = {}): StockItem => ({
  storeId: "S2",
  sku: "B2",
  onHand: 10,
  reserved: 4,
  inTransit: 0,
  version: 1,
  ...over,
});
const sale = { customerId: "c-9", policy: "nearest" };

describe("sellStock", () => {
  it("given 6 available, when 6 are sold, then on hand drops by 6 and one StockSold event without a reservation says so", () => {
    expect(sellStock(given(), { qty: 6, ...sale })).toEqual({
      next: given({ onHand: 4, version: 2 }),
      events: [
        expect.objectContaining({
          eventType: "StockSold",
          payload: {
            storeId: "S2",
            sku: "B2",
            onHand: 4,
            reserved: 4,
            inTransit: 0,
            qty: 6,
            reservationId: null,
            customerId: "c-9",
            policy: "nearest",
          },
        }),
      ],
    });
  });

  it("given 6 available, when 7 are asked for, then it is refused naming the 6 that are", () => {
    expect(sellStock(given(), { qty: 7, ...sale })).toEqual({
      code: "INSUFFICIENT_STOCK",
      message: "only 6 units of B2 available at S2",
      details: { storeId: "S2", sku: "B2", available: 6, requested: 7 },
    });
  });

  it("given a shortfall, when one unit is asked for, then it is refused with 0 available, never a negative number", () => {
    expect(sellStock(given({ onHand: 2 }), { qty: 1, ...sale })).toMatchObject({ details: { available: 0 } });
  });
});

describe("sellable", () => {
  it.each([
    [10, 4, 6],
    [4, 4, 0],
    [2, 4, 0],
  ])("given %i on hand and %i reserved, then %i can be sold", (onHand, reserved, expected) => {
    expect(sellable({ onHand, reserved })).toBe(expected);
  });
});
