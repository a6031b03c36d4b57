import { describe, expect, it } from "vitest";
import { fleetView } from "./operator-views.js";

describe("inventory status's fleet view", () => {
  const now = Date.parse("2026-12-01T10:14:00.000Z");
  const status = (offline?: object) => ({
    projections: [
      { projection: "hub:hub", state: "RUNNING", lagMs: 0, caughtUp: true, lastError: null },
      {
        projection: "agent-S7",
        storeId: "S7",
        state: "RUNNING",
        lagMs: 12,
        caughtUp: true,
        lastError: null,
        reportedAt: "2026-12-01T10:13:58.000Z",
        offline,
      },
    ],
    outbox: { backlog: 0, oldestUnpublishedAgeMs: 0, leader: true, published: 5 },
  });

  it("given an agent reporting queued offline sales, when shown, then its row says how many and how old the oldest is", () => {
    const view = fleetView(status({ queued: 132, refused: 0, oldestQueuedAt: "2026-12-01T10:00:00.000Z" }), now);
    expect(view.split("\n")[0]).toContain("offline sales");
    expect(view.split("\n").find((l) => l.startsWith("agent-S7"))).toContain("132 queued, oldest 840s");
  });

  it("given an agent with an empty journal, or one that keeps none, when shown, then it says so or leaves the cell blank", () => {
    expect(fleetView(status({ queued: 0, refused: 0, oldestQueuedAt: null }), now)).toContain("none queued");
    expect(fleetView(status(), now)).not.toContain("queued");
  });
});
