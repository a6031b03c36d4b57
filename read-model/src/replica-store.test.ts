import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReadModelChange, StockItemState } from "@inventory/shared";
import { at, message, stock } from "../test/replica-messages.js";
import { openReplicaStore, pushStagedRow, type AppliedMessage, type StagedBatch } from "./replica-store.js";

/** A load's batch: `items` as flat rows, `messages` as they are, ending at `nextOffset`. */
const staged = (nextOffset: number, items: readonly StockItemState[], messages: readonly AppliedMessage[] = []): StagedBatch => {
  const rows: (string | number)[] = [];
  for (const item of items) pushStagedRow(rows, item);
  return { messages, rows, nextOffset, lastEventAt: at };
};
const item = (sku: string, storeId: string, onHand: number, version: number) => stock(sku, storeId, onHand, version) as StockItemState;

describe("replica store", () => {
  it("given batches of several partitions, when applied together, then rows and every partition's position are stored", () => {
    const store = openReplicaStore(":memory:");
    const results = store.applyBatches([
      {
        topic: "stock",
        partition: 0,
        messages: [message(0, { kind: "store", storeId: "S1", name: "One", latencyMs: null }), message(1, stock("A1", "S1", 5, 1))],
      },
      { topic: "stock", partition: 1, messages: [message(7, { kind: "product", sku: "A1", name: "Apple", createdAt: at })] },
    ]);
    expect(results).toEqual([
      { applied: 2, ignored: 0 },
      { applied: 1, ignored: 0 },
    ]);
    expect(store.availability("A1")?.map((r) => [r.storeId, r.onHand, r.version])).toEqual([["S1", 5, 1]]);
    expect(store.stores()).toEqual([{ storeId: "S1", name: "One", latencyMs: null }]);
    expect(store.positions().map((p) => [p.partition, p.nextOffset, p.eventsApplied, p.lastEventAt])).toEqual([
      [0, 2, 2, at],
      [1, 8, 1, at],
    ]);
  });

  it("given an older or repeated version, when applied, then the row keeps the newer one and the message counts as ignored", () => {
    const store = openReplicaStore(":memory:");
    store.applyBatch("stock", 0, [message(0, stock("A1", "S1", 5, 2))]);
    expect(store.applyBatch("stock", 0, [message(1, stock("A1", "S1", 9, 1)), message(2, stock("A1", "S1", 9, 2))])).toEqual({
      applied: 0,
      ignored: 2,
    });
    expect(store.availability("A1", "S1")?.[0]).toMatchObject({ onHand: 5, version: 2 });
    expect(store.positions()[0]).toMatchObject({ nextOffset: 3, eventsApplied: 1 });
  });

  it("given staged stock rows, then they are unseen until merged, and the merge keeps the newest version of each row", () => {
    const store = openReplicaStore(":memory:");
    store.applyBatch("stock", 0, [message(0, stock("A1", "S1", 5, 3))]);
    const before = store.skuGeneration("B2");
    // Store-major, as a load receives them, with two versions of one row and one older than the replica's; one
    // row in the older object form, which comes as a message.
    expect(
      store.stageBatch(
        "view",
        2,
        staged(4, [item("B2", "S2", 7, 1), item("A1", "S2", 4, 2), item("A1", "S1", 1, 2)], [message(3, stock("B2", "S2", 8, 2))]),
      ),
    ).toEqual({ applied: 4, ignored: 0 });
    expect(store.availability("B2")).toBeUndefined();
    expect(store.positions().find((p) => p.topic === "view")).toMatchObject({ partition: 2, nextOffset: 4 });

    expect(store.mergeStaged()).toBe(4);
    expect(store.availability("A1")?.map((r) => [r.storeId, r.onHand, r.version])).toEqual([
      ["S1", 5, 3],
      ["S2", 4, 2],
    ]);
    expect(store.availability("B2")?.map((r) => [r.storeId, r.onHand, r.version])).toEqual([["S2", 8, 2]]);
    expect(store.skuGeneration("B2")).toBeGreaterThan(before);
    expect(store.mergeStaged()).toBe(0);
  });

  it("given more staged rows than one insert takes, when merged, then every row arrives with all its columns", () => {
    const store = openReplicaStore(":memory:");
    const items = Array.from({ length: 150 }, (_, i) => ({ ...item(`K${i}`, "S1", i, i + 1), reserved: i % 3, inTransit: i % 5 }));
    expect(store.stageBatch("view", 0, staged(150, items))).toEqual({ applied: 150, ignored: 0 });
    expect(store.mergeStaged()).toBe(150);
    for (const i of [0, 63, 64, 127, 128, 149]) {
      const { kind: _kind, ...expected } = items[i] as StockItemState & { kind: string };
      const { available: _available, ...row } = store.availability(`K${i}`, "S1")![0]!;
      expect(row).toEqual(expected);
    }
  });

  it("given staged rows of a load that starts again, when cleared, then none of them reach the replica", () => {
    const store = openReplicaStore(":memory:");
    store.stageBatch("view", 0, staged(1, [item("A1", "S1", 5, 1)]));
    store.clearStaged();
    expect(store.mergeStaged()).toBe(0);
    expect(store.availability("A1", "S1")).toBeUndefined();
  });

  it("given a position behind the stored one, when applied, then the position never moves back", () => {
    const store = openReplicaStore(":memory:");
    store.applyBatch("stock", 0, [message(10, stock("A1", "S1", 5, 1))]);
    store.applyBatch("stock", 0, [message(3, stock("A1", "S1", 5, 1))]);
    expect(store.positions()[0]?.nextOffset).toBe(11);
  });

  it("given one batch of a group fails, when applied together, then nothing of the group is stored, rows nor positions", () => {
    const store = openReplicaStore(":memory:");
    const broken = {
      kind: "stock-item",
      sku: "B2",
      storeId: "S1",
      onHand: null,
      reserved: 0,
      inTransit: 0,
      version: 1,
      lastEventAt: at,
    } as unknown as ReadModelChange;
    expect(() =>
      store.applyBatches([
        { topic: "stock", partition: 0, messages: [message(0, stock("A1", "S1", 5, 1))] },
        { topic: "stock", partition: 1, messages: [message(0, broken)] },
      ]),
    ).toThrow();
    expect(store.availability("A1", "S1")).toBeUndefined();
    expect(store.positions()).toEqual([]);
  });
  it("given the chain view's position records, then the view's moment is the latest, and a reopened file still has it", () => {
    const dir = mkdtempSync(join(tmpdir(), "replica-store-"));
    try {
      const path = join(dir, "replica.db");
      const store = openReplicaStore(path);
      expect(store.chainViewAsOf()).toBeNull();
      store.applyBatch("view", 0, [{ offset: 0, changes: null, occurredAt: null, viewAsOf: "2026-01-02T03:04:05.000Z" }]);
      store.applyBatch("view", 0, [{ offset: 1, changes: null, occurredAt: null, viewAsOf: "2026-01-02T03:04:06.500Z" }]);
      expect(store.chainViewAsOf()).toBe(Date.parse("2026-01-02T03:04:06.500Z"));
      store.close();
      expect(openReplicaStore(path).chainViewAsOf()).toBe(Date.parse("2026-01-02T03:04:06.500Z"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
