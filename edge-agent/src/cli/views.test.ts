import { describe, expect, it } from "vitest";
import { availabilityView, eventChange, eventsView } from "./views.js";

describe("views", () => {
  it("given a stock event's payload, then the change shows the fields worth a glance", () => {
    expect(eventChange({ delta: -2, onHand: 118, reason: "sale", other: 1 })).toBe("delta -2, onHand 118, reason sale");
    expect(eventChange(null)).toBe("");
  });

  it("given availability with in-transit units, then that column appears, with the replica's lag", () => {
    const text = availabilityView(
      {
        sku: "A1",
        totalAvailable: 5,
        perStore: [{ storeId: "S1", onHand: 6, reserved: 1, available: 5, inTransit: 2, version: 3, lastEventAt: "t" }],
      },
      40,
    );
    expect(text).toBe(
      "A1: 5 available chain-wide (replica 40 ms behind)\nstore  onHand  reserved  available  inTransit  version  last change\nS1          6         1          5          2        3  t\n",
    );
  });

  it("given a page of events with more to come, then the next cursor is offered", () => {
    const text = eventsView({
      items: [{ occurredAt: "t1", eventType: "StockAdjusted", aggregate: { id: "S1:A1", version: 4 }, payload: { delta: 3 } }],
      nextCursor: "c2",
    });
    expect(text).toBe(
      "occurredAt  event          item   version  change\nt1          StockAdjusted  S1:A1        4  delta +3\nmore: add --cursor c2\n",
    );
  });
});
