import { describe, expect, it } from "vitest";
import { offlineStatusView } from "./offline-status-view.js";

describe("inventory journal", () => {
  it("says how many sales wait and since when, and what the hub refused", () => {
    expect(
      offlineStatusView({
        storeId: "S7",
        queued: 132,
        refused: 0,
        oldestQueuedAgeMs: 14 * 60_000,
        replaying: false,
        lastError: "fetch failed",
      }),
    ).toBe("S7: 132 sales queued, oldest 14 min; last attempt: fetch failed");
    expect(offlineStatusView({ storeId: "S1", queued: 0, refused: 2, oldestQueuedAgeMs: null, replaying: false, lastError: null })).toBe(
      "S1: no sales queued, everything has reached the hub; 2 refused by the hub and kept for an operator (--json lists them)",
    );
  });
});
