import { describe, expect, it } from "vitest";
import { compensateDispatch, completeTransfer, dispatchTransfer, receiveTransfer, requestTransfer } from "./transfer-steps.js";
import { isFailure } from "./errors.js";
import type { StockItem } from "./stock-item.js";
import type { TransferDecision } from "./transfer-steps.js";

const now = new Date("2026-01-01T00:00:00.000Z");
const item = (storeId: string, onHand: number, inTransit = 0): StockItem => ({
  storeId,
  sku: "A",
  onHand,
  reserved: 0,
  inTransit,
  version: 1,
});
const requested = () =>
  requestTransfer({ transferId: "t1", fromStore: "S1", toStore: "S2", lines: [{ sku: "A", qty: 3 }], receipt: "auto", now }).transfer;
const ok = (d: unknown): TransferDecision => {
  if (isFailure(d)) throw new Error(d.message);
  return d as TransferDecision;
};
const inSight = (items: readonly StockItem[]) => items.reduce((sum, i) => sum + i.onHand + i.inTransit, 0);

describe("transfer steps", () => {
  it("dispatch then receipt moves the units and keeps onHand + inTransit constant at every step", () => {
    const start = [item("S1", 10), item("S2", 2)];
    const dispatched = ok(dispatchTransfer(requested(), start, now));
    expect(dispatched.transfer.status).toBe("DISPATCHED");
    expect(dispatched.items.map((i) => [i.storeId, i.onHand, i.inTransit])).toEqual([
      ["S1", 7, 0],
      ["S2", 2, 3],
    ]);
    expect(inSight(dispatched.items)).toBe(inSight(start));
    const received = ok(receiveTransfer(dispatched.transfer, dispatched.items, now));
    expect(received.items.map((i) => [i.storeId, i.onHand, i.inTransit])).toEqual([["S2", 5, 0]]);
    expect(ok(completeTransfer(received.transfer, now)).transfer.history.map((h) => h.status)).toEqual([
      "REQUESTED",
      "DISPATCHED",
      "RECEIVED",
      "COMPLETED",
    ]);
  });

  it("a short source fails the transfer and moves nothing", () => {
    const failed = ok(dispatchTransfer(requested(), [item("S1", 2), item("S2", 0)], now));
    expect(failed.transfer.status).toBe("FAILED");
    expect(failed.items).toEqual([]);
  });

  it("a step delivered twice finds the wrong status and changes nothing", () => {
    const dispatched = ok(dispatchTransfer(requested(), [item("S1", 10), item("S2", 0)], now));
    expect(dispatchTransfer(dispatched.transfer, dispatched.items, now)).toMatchObject({
      code: "INVALID_STATE",
      details: { status: "DISPATCHED" },
    });
  });

  it("compensation returns in-transit units to the source", () => {
    const dispatched = ok(dispatchTransfer(requested(), [item("S1", 10), item("S2", 0)], now));
    const undone = compensateDispatch(dispatched.transfer, dispatched.items, now, "test");
    expect(undone.transfer.status).toBe("FAILED");
    expect(undone.items.map((i) => [i.storeId, i.onHand, i.inTransit])).toEqual([
      ["S2", 0, 0],
      ["S1", 10, 0],
    ]);
  });
});
