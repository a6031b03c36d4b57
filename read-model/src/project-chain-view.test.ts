import { describe, expect, it } from "vitest";
import { encodeChainViewItem } from "@inventory/shared";
import { projectChainView } from "./project-chain-view.js";

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const state = { storeId: "S2", sku: "A", onHand: 5, reserved: 1, inTransit: 0, version: 3, lastEventAt: "2026-12-01T00:00:00.120Z" };
const applied = {
  outcome: "changes",
  occurredAt: state.lastEventAt,
  changes: [{ kind: "stock-item", ...state }],
};

describe("a chain-view record", () => {
  it("an item's compact record is its stock row, store and SKU from the key, applied by version", () => {
    const { key, value } = encodeChainViewItem(state);
    expect(projectChainView(key, value)).toEqual(applied);
  });
  it("an item's record in the object form published before the compact one is read as well", () => {
    expect(projectChainView("S2:A", json({ ...state, available: 4 }))).toEqual(applied);
  });
  it("a compact record whose key names no item, or whose numbers are not an item's, is rejected", () => {
    expect(projectChainView("#position", json([5, 1, 0, 3, 0])).outcome).toBe("rejected");
    expect(projectChainView("S2:A", json([5, 1, 0])).outcome).toBe("rejected");
  });
  it("a store and a product are catalogue rows", () => {
    expect(projectChainView("#store:S9", json({ kind: "store", storeId: "S9", name: "n", latencyMs: null }))).toMatchObject({
      changes: [{ kind: "store", storeId: "S9" }],
    });
    expect(
      projectChainView("#product:P", json({ kind: "product", sku: "P", name: "p", createdAt: "2026-12-01T00:00:00.000Z" })),
    ).toMatchObject({
      changes: [{ kind: "product", sku: "P" }],
    });
  });
  it("an item's record as the JSON array published before the binary form is read as well", () => {
    expect(projectChainView("S2:A", json([5, 1, 0, 3, Date.parse(state.lastEventAt)]))).toEqual(applied);
  });
  it("a position is the view's, and anything else is rejected", () => {
    const position = { kind: "position", at: "2026-12-01T00:00:00.000Z", logPosition: 4, eventOffsets: { "stock.events": [1, 2] } };
    expect(projectChainView("#position", json(position))).toEqual({ outcome: "position", position });
    expect(projectChainView("S2:A", json({ sku: "A" })).outcome).toBe("rejected");
    expect(projectChainView("S2:A", Buffer.from("not json")).outcome).toBe("rejected");
  });
});
