import { describe, expect, it } from "vitest";
import { createFreshness } from "./freshness.js";

describe("freshness", () => {
  it("given a replica behind its partitions, when it applies up to the end, then lag is 0", () => {
    const f = createFreshness({ idleFetchMs: 500, startedAt: 0 });
    f.known("t/0", 0, 10);
    f.fetched(100);
    expect(f.caughtUp()).toBe(false);
    expect(f.lagMs(2000)).toBe(1500);
    f.applied("t/0", 10, 10, 2000);
    expect(f.caughtUp()).toBe(true);
    expect(f.lagMs(2100)).toBe(0);
  });

  it("given a caught-up replica, when fetches stop, then lag grows with the time since the last fetch", () => {
    const f = createFreshness({ idleFetchMs: 500, startedAt: 0 });
    f.known("t/0", 5, 5);
    f.fetched(1000);
    expect(f.lagMs(1400)).toBe(0);
    expect(f.lagMs(4500)).toBe(3000);
    expect(f.lagMs(9500)).toBe(8000);
  });

  it("given a batch that leaves messages behind, when fetched, then the replica is not fresh", () => {
    const f = createFreshness({ idleFetchMs: 0, startedAt: 0 });
    f.known("t/0", 0, 0);
    f.fetched(10);
    f.applied("t/0", 3, 8, 20);
    f.fetched(30);
    expect(f.freshAsOf()).toBe(10);
  });
});
