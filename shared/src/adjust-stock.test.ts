import { describe, expect, it } from "vitest";
import { adjustStock } from "./adjust-stock.js";
import { MAX_QUANTITY } from "./identifiers.js";
import type { StockItem } from "./stock-item.js";

const given = (over: Partial<StockItem> = {}): StockItem => ({
  storeId: "S1",
  sku: "A1",
  onHand: 10,
  reserved: 3,
  inTransit: 0,
  version: 4,
  ...over,
});

describe("adjustStock", () => {
  it("given 10 on hand, when 5 are added, then the item holds 15 at the next version and one StockAdjusted event says so", () => {
    const decision = adjustStock(given(), { delta: 5, reason: "restock" });
    expect(decision).toEqual({
      next: given({ onHand: 15, version: 5 }),
      events: [
        expect.objectContaining({
          eventType: "StockAdjusted",
          key: "S1:A1",
          aggregate: { type: "stock-item", id: "S1:A1", version: 5 },
          payload: { storeId: "S1", sku: "A1", onHand: 15, reserved: 3, inTransit: 0, delta: 5, reason: "restock" },
        }),
      ],
    });
  });

  it("given 7 available, when exactly 7 are taken, then nothing is left available and the reserved units stay", () => {
    const decision = adjustStock(given(), { delta: -7, reason: "sale" });
    expect(decision).toMatchObject({ next: { onHand: 3, reserved: 3, version: 5 } });
  });

  it("given 7 available, when 8 are taken, then it is refused as insufficient stock naming both numbers", () => {
    expect(adjustStock(given(), { delta: -8, reason: "sale" })).toEqual({
      code: "INSUFFICIENT_STOCK",
      message: "only 7 units of A1 available at S1",
      details: { storeId: "S1", sku: "A1", available: 7, requested: 8 },
    });
  });

  it("given a shortfall (fewer on hand than reserved), when units are added, then it is accepted", () => {
    expect(adjustStock(given({ onHand: 1, reserved: 3 }), { delta: 1, reason: "restock" })).toMatchObject({ next: { onHand: 2 } });
  });

  it("given a shortfall, when units are taken, then the message says none are available", () => {
    expect(adjustStock(given({ onHand: 1, reserved: 3 }), { delta: -1, reason: "damage" })).toMatchObject({
      code: "INSUFFICIENT_STOCK",
      message: "only 0 units of A1 available at S1",
    });
  });

  it("given an item near the limit, when the change would pass MAX_QUANTITY, then it is refused", () => {
    expect(adjustStock(given({ onHand: MAX_QUANTITY - 1 }), { delta: 2, reason: "restock" })).toMatchObject({
      code: "QUANTITY_LIMIT_EXCEEDED",
      details: { onHand: MAX_QUANTITY - 1, limit: MAX_QUANTITY },
    });
  });

  it("given version 4, when the caller expects version 3, then it is a version conflict and nothing changes", () => {
    expect(adjustStock(given(), { delta: 1, reason: "restock", expectedVersion: 3 })).toMatchObject({
      code: "VERSION_CONFLICT",
      details: { currentVersion: 4, expectedVersion: 3 },
    });
  });

  it("given version 4, when the caller expects version 4, then it is applied", () => {
    expect(adjustStock(given(), { delta: 1, reason: "restock", expectedVersion: 4 })).toMatchObject({ next: { version: 5 } });
  });
});
