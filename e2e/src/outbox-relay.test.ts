import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./harness/infra.js";
import { storeRegisteredEvent } from "./harness/events.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(system, ["S1"], [{ sku: "A1", perStore: { S1: 10 } }]);
});
afterAll(() => system?.close());

describe("outbox relay", () => {
  it("publishes a row whose transaction took a lower id but committed after a higher one was published", async () => {
    const slow = await system.db.connect();
    try {
      await slow.query("BEGIN");
      const late = storeRegisteredEvent("LATE", "Committed late", "outbox-late-commit");
      const eventId = late.eventId;
      const lowId = (
        await slow.query("INSERT INTO outbox (event_id, topic, message_key, event) VALUES ($1, 'stock.events', 'LATE', $2) RETURNING id", [
          eventId,
          late,
        ])
      ).rows[0].id;

      const fast = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: -1, reason: "sale" });
      expect(fast.status).toBe(202);
      const highId = (await system.db.query("SELECT id FROM outbox WHERE event_id = $1", [fast.body.eventId])).rows[0].id;
      expect(Number(highId)).toBeGreaterThan(Number(lowId));
      await eventually(async () => {
        const res = await system.agent("S1").get("/v1/availability?sku=A1&storeId=S1");
        expect(res.body.perStore[0].version).toBe(fast.body.version);
      });

      await slow.query("SELECT pg_notify('inventory_outbox', '')");
      await slow.query("COMMIT");
      await eventually(async () => {
        const stores = await system.agent("S1").get("/v1/stores");
        expect(stores.body.items.map((s: { storeId: string }) => s.storeId)).toContain("LATE");
      });
      const row = await system.db.query("SELECT published_at FROM outbox WHERE id = $1", [lowId]);
      expect(row.rows[0].published_at).not.toBeNull();
    } finally {
      slow.release();
    }
  });

  it("wakes on commit rather than on a poll: many single writes each reach the agent quickly", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: 1, reason: "restock" });
      await eventually(
        async () => {
          const read = await system.agent("S1").get("/v1/availability?sku=A1&storeId=S1");
          expect(read.body.perStore[0].version).toBeGreaterThanOrEqual(res.body.version);
        },
        5000,
        1,
      );
      delays.push(performance.now() - started);
    }
    delays.sort((a, b) => a - b);
    const median = delays[Math.floor(delays.length / 2)]!;
    console.log(`write → visible at agent: median ${median.toFixed(1)} ms, max ${delays[delays.length - 1]!.toFixed(1)} ms over 20 writes`);
    expect(median).toBeLessThan(250);
  });
});
