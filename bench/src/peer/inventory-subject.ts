import type pg from "pg";
import { expectStatus, forEachConcurrently, type Api } from "../api.js";
import { TOKEN } from "../context.js";
import { writeHeaders } from "../load.js";
import type { Subject } from "./subject.js";

const STORES = ["S1", "S2", "S3"];

/**
 * This product as a client sees it: the hub's HTTP API (adjustments, reservations at one store, every write
 * with a fresh Idempotency-Key), counted in the hub's database.
 */
export const inventorySubject = (hub: Api, url: string, db: pg.Pool): Subject => ({
  name: "this product",
  url,
  spreadItems: async (items, stockedEach) => {
    for (const storeId of STORES)
      expectStatus(await hub.post("/v1/stores", { storeId, name: `Store ${storeId}` }), 201, `store ${storeId}`);
    const skus = Array.from({ length: Math.ceil(items / STORES.length) }, (_, n) => `SPREAD-${n}`);
    await forEachConcurrently(skus, 32, async (sku) => {
      expectStatus(await hub.post("/v1/products", { sku, name: sku, initialOnHand: 0 }), 202, `product ${sku}`);
    });
    for (const storeId of STORES) {
      const snapshotOnHand = Object.fromEntries(skus.map((sku) => [sku, stockedEach]));
      expectStatus(
        await hub.post("/v1/reconciliations", { storeId, snapshotOnHand, source: "bench-peer-seed" }),
        202,
        `reconciliation ${storeId}`,
      );
    }
    const pairs = Array.from({ length: items }, (_, i) => ({
      storeId: STORES[i % STORES.length]!,
      sku: skus[Math.floor(i / STORES.length)]!,
    }));
    return {
      next: () => {
        const { storeId, sku } = pairs[Math.floor(Math.random() * pairs.length)]!;
        return {
          method: "POST",
          path: "/v1/adjustments",
          headers: writeHeaders(TOKEN),
          body: JSON.stringify({ storeId, sku, delta: 1, reason: "restock" }),
        };
      },
      stockedTotal: async () =>
        Number((await db.query(`SELECT coalesce(sum(on_hand), 0) AS n FROM stock_items WHERE sku LIKE 'SPREAD-%'`)).rows[0].n),
    };
  },
  raceItem: async (run, units) => {
    const sku = `RACE-${Date.now().toString(36)}-${run}`;
    expectStatus(await hub.post("/v1/products", { sku, name: `Race ${run}`, initialOnHand: 0 }), 202, `product ${sku}`);
    expectStatus(await hub.post("/v1/adjustments", { storeId: "S1", sku, delta: units, reason: "restock" }), 202, `race stock ${sku}`);
    return {
      next: () => ({
        method: "POST",
        path: "/v1/reservations",
        headers: writeHeaders(TOKEN),
        body: JSON.stringify({ storeId: "S1", lines: [{ sku, qty: 1 }], ttlSeconds: 3600 }),
      }),
      count: async () => {
        const item = (await db.query(`SELECT on_hand, reserved FROM stock_items WHERE store_id = 'S1' AND sku = $1`, [sku])).rows[0];
        const held = await db.query(
          `SELECT coalesce(sum((line->>'qty')::int), 0) AS n FROM reservations r, jsonb_array_elements(r.lines) line WHERE r.store_id = 'S1' AND r.status = 'CREATED' AND line->>'sku' = $1`,
          [sku],
        );
        return { stocked: Number(item.on_hand), reserved: Number(held.rows[0].n), reservedCounter: Number(item.reserved) };
      },
    };
  },
});
