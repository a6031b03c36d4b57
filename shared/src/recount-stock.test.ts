import { describe, expect, it } from "vitest";
import { recountStock } from "./recount-stock.js";
import type { StockItem } from "./stock-item.js";

const given = (over: Partial<StockItem> = {}): StockItem => ({
  storeId: "S1",
  sku: "A1",
  onHand: 10,
  reserved: 3,
  inTransit: 2,
  version: 4,
  ...over,
});

describe("recountStock", () => {
  it("given 10 on hand, when the shelf counts 8, then on hand is 8 and the event carries the previous count and the delta", () => {
    const decision = recountStock(given(), { onHand: 8, countRef: "cycle-7" });
    expect(decision).toEqual({
      next: given({ onHand: 8, version: 5 }),
      events: [
        expect.objectContaining({
          eventType: "StockRecounted",
          aggregate: { type: "stock-item", id: "S1:A1", version: 5 },
          payload: { storeId: "S1", sku: "A1", onHand: 8, reserved: 3, inTransit: 2, previousOnHand: 10, delta: -2, countRef: "cycle-7" },
        }),
      ],
    });
  });

  it("given 3 reserved, when the shelf counts 1, then it is accepted, the holds stay and available goes negative", () => {
    expect(recountStock(given(), { onHand: 1, countRef: null })).toMatchObject({ next: { onHand: 1, reserved: 3 } });
  });

  it("given a count equal to on hand, when it is recorded, then it is still an event with delta 0", () => {
    expect(recountStock(given(), { onHand: 10, countRef: null })).toMatchObject({ events: [{ payload: { delta: 0 } }] });
  });

  it("given a reconciliation, when a line is recounted, then the event names the reconciliation", () => {
    expect(recountStock(given(), { onHand: 9, countRef: null, reconciliationId: "r-1" })).toMatchObject({
      events: [{ payload: { reconciliationId: "r-1" } }],
    });
  });

  it("given version 4, when the caller expects version 2, then it is a version conflict", () => {
    expect(recountStock(given(), { onHand: 9, countRef: null, expectedVersion: 2 })).toMatchObject({ code: "VERSION_CONFLICT" });
  });
});
