import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem();
  for (const [storeId, latencyMs] of [
    ["S1", 30],
    ["S2", 5],
    ["S3", 12],
  ] as const) {
    expect((await system.hub.post("/v1/stores", { storeId, name: storeId, latencyMs })).status).toBe(201);
  }
  await seedCatalog(
    system,
    [],
    [
      { sku: "P1", perStore: { S1: 10, S2: 4, S3: 6 } },
      { sku: "RR", perStore: { S1: 50, S2: 50, S3: 50 } },
      { sku: "TIE", perStore: { S2: 5, S3: 5 } },
    ],
  );
});
afterAll(() => system?.close());

const buy = (body: Record<string, unknown>) => system.hub.post("/v1/purchase", body);

describe("purchase without a store", () => {
  it("highest-available (the default) sells at the store with the most available units", async () => {
    const res = await buy({ sku: "P1", qty: 1, customerId: "c1" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ sku: "P1", qty: 1, storeId: "S1", policy: "highest-available", onHand: 9, available: 9 });
    const event = await system.db.query("SELECT event FROM outbox WHERE event_id = $1", [res.body.eventId]);
    expect(event.rows[0].event).toMatchObject({
      eventType: "StockSold",
      payload: { qty: 1, customerId: "c1", policy: "highest-available" },
    });
  });

  it("breaks ties by storeId", async () => {
    expect((await buy({ sku: "TIE", qty: 1 })).body.storeId).toBe("S2");
  });

  it("lowest-latency sells at the fastest store that can fill the whole qty", async () => {
    expect((await buy({ sku: "P1", qty: 1, policy: "lowest-latency" })).body.storeId).toBe("S2");
    expect((await buy({ sku: "P1", qty: 5, policy: "lowest-latency" })).body.storeId).toBe("S3");
  });

  it("round-robin rotates among the stores that can fill it", async () => {
    const stores = [];
    for (let i = 0; i < 6; i++) stores.push((await buy({ sku: "RR", qty: 1, policy: "round-robin" })).body.storeId);
    expect(new Set(stores.slice(0, 3))).toEqual(new Set(["S1", "S2", "S3"]));
    expect(stores.slice(3)).toEqual(stores.slice(0, 3));
  });

  it("answers 409 when no single store can fill the qty, 400 for an unknown policy, 404 for an unknown SKU", async () => {
    const tooMany = await buy({ sku: "P1", qty: 100 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.code).toBe("INSUFFICIENT_STOCK");
    expect((await buy({ sku: "P1", qty: 1, policy: "cheapest" })).status).toBe(400);
    expect((await buy({ sku: "NOPE", qty: 1 })).status).toBe(404);
  });
});
