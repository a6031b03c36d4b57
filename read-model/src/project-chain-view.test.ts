import { describe, expect, it } from "vitest";
import { projectChainView } from "./project-chain-view.js";

describe("a chain-view record", () => {
  it("an item's state is its stock row, applied by version", () => {
    const item = {
      storeId: "S2",
      sku: "A",
      onHand: 5,
      reserved: 1,
      inTransit: 0,
      available: 4,
      version: 3,
      lastEventAt: "2026-12-01T00:00:00.000Z",
    };
    expect(projectChainView(item)).toEqual({
      outcome: "changes",
      occurredAt: item.lastEventAt,
      changes: [
        { kind: "stock-item", storeId: "S2", sku: "A", onHand: 5, reserved: 1, inTransit: 0, version: 3, lastEventAt: item.lastEventAt },
      ],
    });
  });
  it("a store and a product are catalogue rows", () => {
    expect(projectChainView({ kind: "store", storeId: "S9", name: "n", latencyMs: null })).toMatchObject({
      changes: [{ kind: "store", storeId: "S9" }],
    });
    expect(projectChainView({ kind: "product", sku: "P", name: "p", createdAt: "2026-12-01T00:00:00.000Z" })).toMatchObject({
      changes: [{ kind: "product", sku: "P" }],
    });
  });
  it("a position is the view's, and anything else is rejected", () => {
    const position = { kind: "position", at: "2026-12-01T00:00:00.000Z", logPosition: 4, eventOffsets: { "stock.events": [1, 2] } };
    expect(projectChainView(position)).toEqual({ outcome: "position", position });
    expect(projectChainView({ sku: "A" }).outcome).toBe("rejected");
  });
});
