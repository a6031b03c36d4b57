import { describe, expect, it } from "vitest";
import { orderStoresForPurchase } from "./purchase-policy.js";

const stores = [
  { storeId: "S3", available: 9, latencyMs: 5 },
  { storeId: "S1", available: 9, latencyMs: 20 },
  { storeId: "S2", available: 2, latencyMs: 1 },
  { storeId: "S4", available: 4, latencyMs: null },
];

describe("purchase policies", () => {
  it("highest-available: most units first, ties by storeId", () => {
    expect(orderStoresForPurchase(stores, 1, "highest-available", 0)).toEqual(["S1", "S3", "S4", "S2"]);
  });

  it("lowest-latency: only stores that can fill the qty, fastest first, unknown latency last", () => {
    expect(orderStoresForPurchase(stores, 3, "lowest-latency", 0)).toEqual(["S3", "S1", "S4"]);
  });

  it("round-robin: successive tickets start at successive stores among those that can fill", () => {
    const firsts = [0, 1, 2, 3, 4, 5].map((t) => orderStoresForPurchase(stores, 3, "round-robin", t)[0]);
    expect(firsts).toEqual(["S1", "S3", "S4", "S1", "S3", "S4"]);
    expect(orderStoresForPurchase(stores, 3, "round-robin", 1)).toEqual(["S3", "S4", "S1"]);
  });

  it("no store can fill the qty: no candidate", () => {
    expect(orderStoresForPurchase(stores, 10, "highest-available", 0)).toEqual([]);
  });
});
