import { describe, expect, it, vi } from "vitest";
import { DEFAULT_IDLE_MEMORY_POLICY, returnMemoryWhenIdle, shouldReturnMemory } from "./return-memory-when-idle.js";

const MB = 1_048_576;
const policy = DEFAULT_IDLE_MEMORY_POLICY;

describe("returning memory when idle", () => {
  it("returns it only when the process was idle and has grown by the policy's amount since its lowest", () => {
    expect(shouldReturnMemory(policy, { utilization: 0.02, rssBytes: 440 * MB, lowestBytes: 200 * MB })).toBe(true);
    // Busy: the pause would land on callers.
    expect(shouldReturnMemory(policy, { utilization: 0.6, rssBytes: 440 * MB, lowestBytes: 200 * MB })).toBe(false);
    // Idle but not grown enough to be worth it.
    expect(shouldReturnMemory(policy, { utilization: 0.02, rssBytes: 250 * MB, lowestBytes: 200 * MB })).toBe(false);
    expect(shouldReturnMemory(policy, { utilization: 0.099, rssBytes: 264 * MB, lowestBytes: 200 * MB })).toBe(true);
  });

  it("given a process that grew and then went quiet, when it next looks, then it returns memory once", async () => {
    const release = vi.fn();
    const onReturned = vi.fn();
    const watching = returnMemoryWhenIdle({ policy: { everyMs: 20, idleBelow: 0.9, growthBytes: 32 * MB }, release, onReturned });
    try {
      let held: number[][] | undefined = Array.from({ length: 800 }, () => Array.from({ length: 20_000 }, (_, i) => i));
      await vi.waitFor(() => expect(release).toHaveBeenCalledTimes(1), { timeout: 2000 });
      expect(onReturned.mock.calls[0]![0].rssBeforeBytes).toBeGreaterThan(32 * MB);
      held = undefined;
      expect(held).toBeUndefined();
    } finally {
      watching.stop();
    }
  });
});
