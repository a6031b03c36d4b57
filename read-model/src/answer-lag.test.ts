import { describe, expect, it } from "vitest";
import { answerLagMs } from "./answer-lag.js";
import type { ReplicaStore } from "./replica-store.js";
import type { Freshness } from "./freshness.js";

const replica = (feedLag: number, viewAsOf: number | null, exactStoreId?: string) => ({
  freshness: () => ({ lagMs: () => feedLag }) as unknown as Freshness,
  store: () => ({ chainViewAsOf: () => viewAsOf }) as unknown as ReplicaStore,
  exactStoreId,
});

describe("an answer's lag", () => {
  const now = 1_000_000;
  it("is the feed's for a replica fed entirely by events", () => {
    expect(answerLagMs(replica(7, now - 5000), "chain", now)).toBe(7);
  });
  it("is the feed's for an agent's own store's rows", () => {
    expect(answerLagMs(replica(0, now - 900, "S1"), ["S1"], now)).toBe(0);
  });
  it("is the view's staleness for another store's row or a chain-wide answer", () => {
    expect(answerLagMs(replica(0, now - 900, "S1"), ["S2"], now)).toBe(900);
    expect(answerLagMs(replica(0, now - 900, "S1"), "chain", now)).toBe(900);
  });
  it("is never less than the feed's, and the feed's while the view has no position yet", () => {
    expect(answerLagMs(replica(3000, now - 900, "S1"), "chain", now)).toBe(3000);
    expect(answerLagMs(replica(12, null, "S1"), "chain", now)).toBe(12);
  });
});
