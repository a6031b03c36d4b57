import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, sleep } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;
const FLASH = { S1: 40, S2: 35, S3: 25 };
const RACE_SKUS = ["K1", "K2", "K3"];
const RACE_STOCK = 30;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2", "S3"],
    [{ sku: "FLASH", perStore: FLASH }, ...RACE_SKUS.map((sku) => ({ sku, perStore: { S1: RACE_STOCK } }))],
  );
});
afterAll(() => system?.close());

describe("no double-booking under concurrency", () => {
  it("200 concurrent purchases of 100 units across 3 stores: exactly 100 succeed and nothing goes negative", async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => system.hub.post("/v1/purchase", { sku: "FLASH", qty: 1, customerId: `c${i}` })),
    );
    const statuses = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
    console.log(`200 concurrent purchases: ${JSON.stringify(statuses)}`);
    expect(statuses).toEqual({ 202: 100, 409: 100 });
    const rows = await system.db.query("SELECT store_id, on_hand, reserved FROM stock_items WHERE sku = 'FLASH' ORDER BY store_id");
    expect(rows.rows).toEqual([
      { store_id: "S1", on_hand: 0, reserved: 0 },
      { store_id: "S2", on_hand: 0, reserved: 0 },
      { store_id: "S3", on_hand: 0, reserved: 0 },
    ]);
    const soldPerStore = answers
      .filter((a) => a.status === 202)
      .reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.body.storeId]: (acc[a.body.storeId] ?? 0) + 1 }), {});
    expect(soldPerStore).toEqual(FLASH);
    const events = await system.db.query(
      "SELECT event_id FROM outbox WHERE event->>'eventType' = 'StockSold' AND event->'payload'->>'sku' = 'FLASH'",
    );
    expect(new Set(events.rows.map((r) => r.event_id))).toEqual(
      new Set(answers.filter((a) => a.status === 202).map((a) => a.body.eventId)),
    );
    await eventually(async () => {
      const read = await system.agent("S1").get("/v1/availability?sku=FLASH");
      expect(read.body.totalAvailable).toBe(0);
      expect(read.body.perStore.every((r: { onHand: number }) => r.onHand === 0)).toBe(true);
    });
  });

  it("reservations racing confirms, cancels and expiry: units move exactly once", async () => {
    const created: { id: string; lines: { sku: string; qty: number }[] }[] = [];
    const outcomes = new Map<string, string[]>();
    let refused = 0;
    const pick = (n: number) => RACE_SKUS[n % RACE_SKUS.length]!;

    await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const lines = [{ sku: pick(i), qty: 1 + (i % 3) }, ...(i % 4 === 0 ? [{ sku: pick(i + 1), qty: 1 }] : [])];
        const ttlSeconds = i % 5 === 0 ? 1 : 600;
        const res = await system.hub.post("/v1/reservations", { storeId: "S1", lines, ttlSeconds });
        if (res.status === 409) {
          refused += 1;
          return;
        }
        expect(res.status).toBe(202);
        const id: string = res.body.reservationId;
        created.push({ id, lines: res.body.lines });
        const act = (action: "confirm" | "cancel") =>
          system.hub.post(`/v1/reservations/${id}:${action}`, {}).then((r) => {
            outcomes.set(id, [...(outcomes.get(id) ?? []), `${action}:${r.status}:${r.body.code ?? r.body.status}`]);
          });
        if (i % 5 === 0) {
          await sleep(1100);
          await act("confirm");
        } else if (i % 5 === 1) await Promise.all([act("confirm"), act("cancel")]);
        else if (i % 5 === 2) await act("confirm");
        else if (i % 5 === 3) await act("cancel");
      }),
    );
    await sleep(1500);

    const reservations = await system.db.query("SELECT reservation_id, status, lines FROM reservations WHERE store_id = 'S1'");
    const byId = new Map(reservations.rows.map((r) => [r.reservation_id, r]));
    for (const [id, results] of outcomes) {
      const succeeded = results.filter((r) => r.includes(":202:"));
      expect(succeeded.length).toBeLessThanOrEqual(1);
      const status = byId.get(id)!.status;
      if (succeeded[0]?.startsWith("confirm")) expect(status).toBe("CONFIRMED");
      if (succeeded[0]?.startsWith("cancel")) expect(status).toBe("CANCELLED");
      if (succeeded.length === 0) expect(["EXPIRED", "CONFIRMED", "CANCELLED"]).toContain(status);
    }
    const statusCount = reservations.rows.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    console.log(`${created.length} reservations created, ${refused} refused for lack of stock; final: ${JSON.stringify(statusCount)}`);
    expect(statusCount.EXPIRED).toBeGreaterThan(0);
    expect(statusCount.CONFIRMED).toBeGreaterThan(0);
    expect(statusCount.CANCELLED).toBeGreaterThan(0);

    for (const sku of RACE_SKUS) {
      const sold = reservations.rows
        .filter((r) => r.status === "CONFIRMED")
        .flatMap((r) => r.lines)
        .filter((l: { sku: string }) => l.sku === sku)
        .reduce((sum: number, l: { qty: number }) => sum + l.qty, 0);
      const held = reservations.rows
        .filter((r) => r.status === "CREATED")
        .flatMap((r) => r.lines)
        .filter((l: { sku: string }) => l.sku === sku)
        .reduce((sum: number, l: { qty: number }) => sum + l.qty, 0);
      const row = (await system.db.query("SELECT on_hand, reserved FROM stock_items WHERE store_id = 'S1' AND sku = $1", [sku])).rows[0];
      expect(row.on_hand + sold).toBe(RACE_STOCK);
      expect(row.reserved).toBe(held);
      expect(row.on_hand - row.reserved).toBeGreaterThanOrEqual(0);
      await eventually(async () => {
        const read = await system.agent("S1").get(`/v1/availability?sku=${sku}&storeId=S1`);
        expect(read.body.perStore[0]).toMatchObject({ onHand: row.on_hand, reserved: row.reserved });
      });
    }
  });
});
