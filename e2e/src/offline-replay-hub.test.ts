import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { eventually } from "./harness/infra.js";
import { tokenFor } from "./harness/tokens.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "A1", perStore: { S1: 2 } },
      { sku: "B2", perStore: { S1: 5 } },
    ],
  );
});
afterAll(() => system?.close());

const stockRow = async (storeId: string, sku: string) =>
  (
    await system.db.query("SELECT on_hand, reserved, version, recount_required_since FROM stock_items WHERE store_id = $1 AND sku = $2", [
      storeId,
      sku,
    ])
  ).rows[0];
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const operator = tokenFor("operator");
const clerkS1 = tokenFor("clerk", { stores: ["S1"], subject: "till-1" });

describe("a replayed offline sale at the hub", () => {
  it("given fewer units than sold, when replayed, then it is applied below zero, flagged, listed, and a retry answers the same", async () => {
    const key = randomUUID();
    const occurredAt = minutesAgo(14);
    const body = { storeId: "S1", sku: "A1", delta: -3, reason: "sale", offline: true, occurredAt };
    const res = await system.hub.post("/v1/adjustments", body, { key, token: clerkS1 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      storeId: "S1",
      sku: "A1",
      onHand: -1,
      available: -1,
      offline: true,
      occurredAt,
      recountRequired: true,
    });
    const row = await stockRow("S1", "A1");
    expect(row).toMatchObject({ on_hand: -1, version: res.body.version });
    expect(row.recount_required_since).toBeInstanceOf(Date);

    const events = await system.db.query("SELECT event FROM outbox WHERE store_id = 'S1' AND sku = 'A1' ORDER BY id DESC LIMIT 2");
    const [flagged, adjusted] = events.rows.map((r) => r.event);
    expect(adjusted).toMatchObject({
      eventType: "StockAdjusted",
      eventId: res.body.eventId,
      payload: { delta: -3, offline: true, occurredAt },
    });
    expect(flagged).toMatchObject({
      eventType: "StockRecountRequired",
      aggregate: { version: res.body.version },
      payload: { onHand: -1, available: -1 },
    });

    const again = await system.hub.post("/v1/adjustments", body, { key, token: clerkS1 });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(res.body);
    expect((await stockRow("S1", "A1")).on_hand).toBe(-1);

    const list = await system.hub.get("/v1/stock/recount-required?storeId=S1", { Authorization: `Bearer ${operator}` });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ storeId: "S1", sku: "A1", onHand: -1, available: -1, version: res.body.version }),
    ]);
    expect((await system.hub.get("/v1/stock/recount-required", { Authorization: `Bearer ${clerkS1}` })).status).toBe(403);

    // The replicas show the shelf as the hub now holds it, below zero.
    await eventually(async () => {
      const read = await system.agent("S1").get("/v1/availability?sku=A1&storeId=S1");
      expect(read.body.perStore).toEqual([
        expect.objectContaining({ storeId: "S1", onHand: -1, available: -1, version: res.body.version }),
      ]);
      expect(read.body.totalAvailable).toBe(0);
    });
  });

  it("given a flagged item, when recounted, then the flag is cleared", async () => {
    const recount = await system.hub.post("/v1/items:set-absolute", { storeId: "S1", sku: "A1", onHand: 0, countRef: "after-outage" });
    expect(recount.status).toBe(202);
    expect((await stockRow("S1", "A1")).recount_required_since).toBeNull();
    const list = await system.hub.get("/v1/stock/recount-required", { Authorization: `Bearer ${operator}` });
    expect(list.body.items).toEqual([]);
  });

  it("given enough units, when an offline return and sale are replayed, then they apply without a flag", async () => {
    const sale = await system.hub.post("/v1/adjustments", {
      storeId: "S1",
      sku: "B2",
      delta: -2,
      reason: "sale",
      offline: true,
      occurredAt: minutesAgo(5),
    });
    expect(sale.status).toBe(202);
    expect(sale.body).toMatchObject({ onHand: 3, recountRequired: false });
    expect((await stockRow("S1", "B2")).recount_required_since).toBeNull();
  });

  it("refuses a malformed, too old or out-of-scope offline sale with a clear 4xx and changes nothing", async () => {
    const before = await stockRow("S1", "B2");
    const tooOld = await system.hub.post("/v1/adjustments", {
      storeId: "S1",
      sku: "B2",
      delta: -1,
      reason: "sale",
      offline: true,
      occurredAt: minutesAgo(73 * 60),
    });
    expect(tooOld.status).toBe(422);
    expect(tooOld.body).toMatchObject({ code: "OFFLINE_SALE_TOO_OLD", maxAgeHours: 72 });
    const noTime = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "B2", delta: -1, reason: "sale", offline: true });
    expect(noTime.status).toBe(400);
    const damage = await system.hub.post("/v1/adjustments", {
      storeId: "S1",
      sku: "B2",
      delta: -1,
      reason: "damage",
      offline: true,
      occurredAt: minutesAgo(1),
    });
    expect(damage.status).toBe(400);
    const future = await system.hub.post("/v1/adjustments", {
      storeId: "S1",
      sku: "B2",
      delta: -1,
      reason: "sale",
      offline: true,
      occurredAt: minutesAgo(-60),
    });
    expect(future.status).toBe(400);
    const otherStore = await system.hub.post(
      "/v1/adjustments",
      { storeId: "S2", sku: "B2", delta: -1, reason: "sale", offline: true, occurredAt: minutesAgo(1) },
      { token: clerkS1 },
    );
    expect(otherStore.status).toBe(403);
    expect(await stockRow("S1", "B2")).toEqual(before);
  });

  it("still refuses an ordinary sale beyond available stock", async () => {
    const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "B2", delta: -100, reason: "sale" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("INSUFFICIENT_STOCK");
  });
});
