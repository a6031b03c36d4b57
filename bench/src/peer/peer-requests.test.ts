import { describe, expect, it } from "vitest";
import { parseAdjustment, parseReservation, parseSetup } from "./peer-requests.js";

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error("expected a refusal");
};

describe("the peer wrapper's request bodies", () => {
  it("given a reservation with every field, when parsed, then it is kept as sent", () => {
    expect(parseReservation({ inventoryItemId: "iitem_1", locationId: "S1", quantity: 1, lock: true })).toEqual({
      inventoryItemId: "iitem_1",
      locationId: "S1",
      quantity: 1,
      lock: true,
    });
  });

  it("given a reservation of 0 units, an unknown field or no lock choice, when parsed, then it is a 400", () => {
    for (const body of [
      { inventoryItemId: "i", locationId: "S1", quantity: 0, lock: false },
      { inventoryItemId: "i", locationId: "S1", quantity: 1, lock: false, extra: 1 },
      { inventoryItemId: "i", locationId: "S1", quantity: 1 },
      null,
    ]) {
      expect(refusal(() => parseReservation(body))).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    }
  });

  it("given an adjustment of 0 or a fraction, when parsed, then it is a 400", () => {
    expect(parseAdjustment({ inventoryItemId: "i", locationId: "S1", adjustment: -3 }).adjustment).toBe(-3);
    expect(refusal(() => parseAdjustment({ inventoryItemId: "i", locationId: "S1", adjustment: 0 }))).toMatchObject({ status: 400 });
    expect(refusal(() => parseAdjustment({ inventoryItemId: "i", locationId: "S1", adjustment: 1.5 }))).toMatchObject({ status: 400 });
  });

  it("given a seed without levels, when parsed, then it is a 400", () => {
    expect(parseSetup({ items: [{ sku: "A", levels: [{ locationId: "S1", stockedQuantity: 5 }] }] }).items).toHaveLength(1);
    expect(refusal(() => parseSetup({ items: [{ sku: "A", levels: [] }] }))).toMatchObject({ status: 400 });
  });
});
