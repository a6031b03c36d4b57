import { describe, expect, it } from "vitest";
import { journalableWrite, replayBody, requestFingerprint } from "./journalable-write.js";

const sale = JSON.stringify({ storeId: "S1", sku: "A1", delta: -1, reason: "sale" });
const write = (over: Partial<{ method: string; path: string; body: string; ifMatch: string }> = {}) => ({
  method: "POST",
  path: "/v1/adjustments",
  body: sale,
  ifMatch: undefined,
  ...over,
});

describe("which writes the agent journals while the hub is unreachable", () => {
  it("takes a sale or a return for its own store", () => {
    expect(journalableWrite(write(), "S1").ok).toBe(true);
    expect(journalableWrite(write({ body: JSON.stringify({ storeId: "S1", sku: "A1", delta: 1, reason: "return" }) }), "S1").ok).toBe(true);
  });
  it("refuses another store, another reason, another path, If-Match, a replay and a malformed body", () => {
    expect(journalableWrite(write(), "S2").ok).toBe(false);
    expect(journalableWrite(write({ body: JSON.stringify({ storeId: "S1", sku: "A1", delta: -1, reason: "damage" }) }), "S1").ok).toBe(
      false,
    );
    expect(journalableWrite(write({ path: "/v1/items:set-absolute" }), "S1").ok).toBe(false);
    expect(journalableWrite(write({ ifMatch: '"3"' }), "S1").ok).toBe(false);
    expect(journalableWrite(write({ body: replayBody(sale, "2026-12-01T10:00:00.000Z") }), "S1").ok).toBe(false);
    expect(journalableWrite(write({ body: "{not json" }), "S1").ok).toBe(false);
    expect(journalableWrite(write({ body: JSON.stringify({ storeId: "S1", sku: "A1", delta: 0, reason: "sale" }) }), "S1").ok).toBe(false);
  });
});

describe("the journaled request", () => {
  it("is replayed marked offline with when it happened", () => {
    expect(JSON.parse(replayBody(sale, "2026-12-01T10:00:00.000Z"))).toEqual({
      storeId: "S1",
      sku: "A1",
      delta: -1,
      reason: "sale",
      offline: true,
      occurredAt: "2026-12-01T10:00:00.000Z",
    });
  });
  it("is the same request whatever its key order or traceId, and another with another value", () => {
    const reordered = JSON.stringify({ reason: "sale", delta: -1, sku: "A1", storeId: "S1", traceId: "t-1" });
    expect(requestFingerprint("/v1/adjustments", reordered)).toBe(requestFingerprint("/v1/adjustments", sale));
    expect(requestFingerprint("/v1/adjustments", sale.replace("-1", "-2"))).not.toBe(requestFingerprint("/v1/adjustments", sale));
  });
});
