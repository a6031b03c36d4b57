import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "./harness/http-client.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

// The same burst of racing commands against a hub with group commit (the default) and one that gives every
// command a transaction of its own (COMMAND_LANES=0): batching must change no outcome.
const SALE = { S1: 40, S2: 35, S3: 25 };
const SHELF = 50;

interface BurstResult {
  purchases: Record<number, number>;
  adjustments: { executed: number; insufficient: number; versionConflicts: number };
  pairs: [ApiResponse, ApiResponse][];
  reused: ApiResponse;
  saleRows: { store_id: string; on_hand: number }[];
  shelf: { on_hand: number; version: number };
  events: { sold: number; adjusted: number; soldIds: Set<string> };
  soldIds: Set<string>;
}

const count = (answers: ApiResponse[]) =>
  answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});

const burst = async (system: TestSystem): Promise<BurstResult> => {
  await seedCatalog(
    system,
    ["S1", "S2", "S3"],
    [
      { sku: "SALE", perStore: SALE },
      { sku: "SHELF", perStore: { S1: SHELF } },
    ],
  );
  const adjust = (delta: number, options: { key?: string; ifMatch?: string } = {}) =>
    system.hub.post("/v1/adjustments", { storeId: "S1", sku: "SHELF", delta, reason: "manual" }, options);
  const pairKeys = Array.from({ length: 10 }, () => randomUUID());
  const [purchases, added, tooMuch, stale, pairs] = await Promise.all([
    Promise.all(Array.from({ length: 120 }, (_, i) => system.hub.post("/v1/purchase", { sku: "SALE", qty: 1, customerId: `c${i}` }))),
    Promise.all(Array.from({ length: 60 }, () => adjust(2))),
    Promise.all(Array.from({ length: 20 }, () => adjust(-10_000))),
    Promise.all(Array.from({ length: 10 }, () => adjust(1, { ifMatch: '"999"' }))),
    Promise.all(pairKeys.map((key) => Promise.all([adjust(1, { key }), adjust(1, { key })]))),
  ]);
  const reused = await adjust(3, { key: pairKeys[0] });
  const executed = [...added, ...pairs.flat()].filter((a) => a.status === 202 && a.headers.get("Idempotent-Replayed") !== "true").length;
  const saleRows = (await system.db.query("SELECT store_id, on_hand FROM stock_items WHERE sku = 'SALE' ORDER BY store_id")).rows;
  const shelf = (await system.db.query("SELECT on_hand, version FROM stock_items WHERE store_id = 'S1' AND sku = 'SHELF'")).rows[0];
  const events = await system.db.query(
    "SELECT event->>'eventType' AS type, event_id FROM outbox WHERE sku IN ('SALE', 'SHELF') AND (event->>'eventType' = 'StockSold' OR event->'payload'->>'reason' = 'manual')",
  );
  return {
    purchases: count(purchases),
    adjustments: {
      executed,
      insufficient: tooMuch.filter((a) => a.status === 409 && a.body.code === "INSUFFICIENT_STOCK").length,
      versionConflicts: stale.filter((a) => a.status === 409 && a.body.code === "VERSION_CONFLICT").length,
    },
    pairs,
    reused,
    saleRows,
    shelf,
    events: {
      sold: events.rows.filter((r) => r.type === "StockSold").length,
      adjusted: events.rows.filter((r) => r.type === "StockAdjusted").length,
      soldIds: new Set(events.rows.filter((r) => r.type === "StockSold").map((r) => r.event_id)),
    },
    soldIds: new Set(purchases.filter((a) => a.status === 202).map((a) => a.body.eventId)),
  };
};

let batched: TestSystem;
let alone: TestSystem;
let withBatching: BurstResult;
let withoutBatching: BurstResult;

beforeAll(async () => {
  batched = await startSystem();
  alone = await startSystem({ hubEnv: { COMMAND_LANES: "0" } });
  withBatching = await burst(batched);
  withoutBatching = await burst(alone);
});
afterAll(async () => {
  await batched?.close();
  await alone?.close();
});

describe("group commit", () => {
  it("committed the burst in shared transactions", async () => {
    const metrics = await batched.hub.get("/metrics");
    const sum = Number(/inventory_command_batch_size_sum\{[^}]*\} (\d+)/.exec(metrics.body)?.[1]);
    const batches = Number(/inventory_command_batch_size_count\{[^}]*\} (\d+)/.exec(metrics.body)?.[1]);
    console.log(`group commit: ${sum} commands in ${batches} transactions`);
    expect(sum).toBeGreaterThan(batches * 2);
    const unbatched = await alone.hub.get("/metrics");
    const aloneSum = Number(/inventory_command_batch_size_sum\{[^}]*\} (\d+)/.exec(unbatched.body)?.[1]);
    const aloneCount = Number(/inventory_command_batch_size_count\{[^}]*\} (\d+)/.exec(unbatched.body)?.[1]);
    expect(aloneSum).toBe(aloneCount);
  });

  it.each([
    ["with batching", () => withBatching],
    ["without batching", () => withoutBatching],
  ])("%s: every command has exactly its own outcome", (_, result) => {
    const r = result();
    expect(r.purchases).toEqual({ 202: 100, 409: 20 });
    expect(r.saleRows).toEqual([
      { store_id: "S1", on_hand: 0 },
      { store_id: "S2", on_hand: 0 },
      { store_id: "S3", on_hand: 0 },
    ]);
    expect(r.events.soldIds).toEqual(r.soldIds);
    expect(r.adjustments).toEqual({ executed: 70, insufficient: 20, versionConflicts: 10 });
    // Seeding took the item to version 1; each executed adjustment adds one.
    expect(r.shelf).toEqual({ on_hand: SHELF + 60 * 2 + 10, version: 1 + 70 });
    expect(r.events.adjusted).toBe(70);
    expect(r.reused.status).toBe(422);
    for (const [first, second] of r.pairs) {
      const answers = [first, second].filter((a) => a.status === 202);
      expect(answers.filter((a) => a.headers.get("Idempotent-Replayed") !== "true")).toHaveLength(1);
      const other = first.headers.get("Idempotent-Replayed") === "true" || first.status === 409 ? first : second;
      if (other.status === 202) expect(other.body).toEqual((other === first ? second : first).body);
      else expect(other.body.code).toBe("IDEMPOTENCY_KEY_IN_USE");
    }
  });

  it("answers a retry racing its first request with the stored answer, since both meet in one lane", () => {
    for (const [first, second] of withBatching.pairs) {
      expect([first.status, second.status]).toEqual([202, 202]);
      expect([first.headers.get("Idempotent-Replayed"), second.headers.get("Idempotent-Replayed")].sort()).toEqual(["true", null].sort());
    }
  });
});
