import { describe, expect, it } from "vitest";
import { groupApply } from "./group-apply.js";
import type { PartitionBatch } from "./replica-store.js";

const batch = (partition: number, count: number): PartitionBatch => ({
  topic: "stock",
  partition,
  messages: Array.from({ length: count }, (_, offset) => ({ offset, changes: null, occurredAt: null })),
});

describe("groupApply", () => {
  it("given batches handed over in one turn, when applied, then one call applies them all and each gets its own result", async () => {
    const calls: number[][] = [];
    const apply = groupApply((batches) => {
      calls.push(batches.map((b) => b.partition));
      return batches.map((b) => ({ applied: b.messages.length, ignored: b.partition }));
    });
    const results = await Promise.all([apply(batch(0, 3)), apply(batch(1, 5)), apply(batch(2, 1))]);
    expect(calls).toEqual([[0, 1, 2]]);
    expect(results).toEqual([
      { applied: 3, ignored: 0 },
      { applied: 5, ignored: 1 },
      { applied: 1, ignored: 2 },
    ]);
  });

  it("given a batch handed over after the group was applied, when applied, then it goes in a group of its own", async () => {
    const calls: number[][] = [];
    const apply = groupApply((batches) => {
      calls.push(batches.map((b) => b.partition));
      return batches.map(() => ({ applied: 0, ignored: 0 }));
    });
    await apply(batch(0, 1));
    await apply(batch(1, 1));
    expect(calls).toEqual([[0], [1]]);
  });

  it("given the group's transaction fails, when applied, then every batch of the group is told, and the next group is not affected", async () => {
    let fail = true;
    const apply = groupApply((batches) => {
      if (fail) throw new Error("disk full");
      return batches.map(() => ({ applied: 1, ignored: 0 }));
    });
    const settled = await Promise.allSettled([apply(batch(0, 1)), apply(batch(1, 1))]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await expect(apply(batch(2, 1))).resolves.toEqual({ applied: 1, ignored: 0 });
  });
});
