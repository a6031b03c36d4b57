import { describe, expect, it } from "vitest";
import type { FleetStatus, ProjectionStatus } from "../../api/hub-types.js";
import { fleetRows, sortRows } from "./fleet-rows.js";

const replica = (projection: string, offsets: number[], extra: Partial<ProjectionStatus> = {}): ProjectionStatus => ({
  projection,
  state: "RUNNING",
  lagMs: 0,
  caughtUp: true,
  lastError: null,
  partitions: offsets.map((nextOffset, partition) => ({ topic: "p.stock.events", partition, nextOffset, lastEventAt: null })),
  ...extra,
});
const status = (...projections: ProjectionStatus[]): FleetStatus => ({
  projections,
  outbox: { leader: true, published: 0, backlog: 0, oldestUnpublishedAgeMs: null, lastError: null, lastPublishedAt: null },
});

describe("fleetRows", () => {
  it("given an agent behind on one partition, when rows are made, then it is that many events behind the hub", () => {
    const now = Date.parse("2026-01-31T09:00:10Z");
    const rows = fleetRows(
      status(
        replica("hub:hub", [10, 4]),
        replica("agent-S1", [7, 4], { storeId: "S1", reportedAt: "2026-01-31T09:00:04Z" }),
        replica("agent-S2", [], { storeId: "S2" }),
      ),
      now,
    );
    expect(rows.map((r) => [r.projection, r.storeId, r.behindHub, r.secondsSinceReport])).toEqual([
      ["hub:hub", "(hub)", 0, null],
      ["agent-S1", "S1", 3, 6],
      ["agent-S2", "S2", 14, null],
    ]);
  });

  it("given rows, when sorted by lag descending, then the worst comes first and ties go by name", () => {
    const rows = fleetRows(
      status(
        replica("hub:hub", []),
        replica("agent-S2", [], { lagMs: 50 }),
        replica("agent-S1", [], { lagMs: 50 }),
        replica("agent-S3", [], { lagMs: 900 }),
      ),
      0,
    );
    expect(sortRows(rows, "lagMs", true).map((r) => r.projection)).toEqual(["agent-S3", "agent-S2", "agent-S1", "hub:hub"]);
    expect(sortRows(rows, "lagMs", false).map((r) => r.projection)).toEqual(["hub:hub", "agent-S1", "agent-S2", "agent-S3"]);
  });
});
