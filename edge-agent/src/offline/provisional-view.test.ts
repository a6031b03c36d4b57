import { describe, expect, it } from "vitest";
import { withProvisional } from "./provisional-view.js";

const row = (storeId: string, onHand: number, reserved = 0) => ({
  sku: "A1",
  storeId,
  onHand,
  reserved,
  available: onHand - reserved,
  inTransit: 0,
  version: 4,
  lastEventAt: "2026-12-01T10:00:00.000Z",
});

describe("the agent's provisional reads", () => {
  it("given journaled sales at its store, then its row shows them, marked, and the total follows", () => {
    const { response, provisional } = withProvisional({ sku: "A1", totalAvailable: 7, perStore: [row("S1", 2), row("S2", 5)] }, (r) =>
      r.storeId === "S1" ? -3 : 0,
    );
    expect(provisional).toBe(true);
    expect(response.perStore[0]).toMatchObject({ storeId: "S1", onHand: -1, available: -1, provisional: true });
    expect(response.perStore[1]).not.toHaveProperty("provisional");
    expect(response.totalAvailable).toBe(5);
  });
  it("given nothing pending, then the answer is the replica's, untouched", () => {
    const input = { sku: "A1", totalAvailable: 2, perStore: [row("S1", 2)] };
    const { response, provisional } = withProvisional(input, () => 0);
    expect(provisional).toBe(false);
    expect(response).toBe(input);
  });
});
