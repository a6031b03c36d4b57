import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Subject } from "./subject.js";

const LOCATIONS = ["sloc_S1", "sloc_S2", "sloc_S3"];
const JSON_HEADERS = { "content-type": "application/json" };

const post = async (url: string, path: string, body: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const answer = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`peer ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer as any;
};

/**
 * Medusa's inventory module behind its wrapper (medusa-server.ts), counted in its own tables.
 * `lock`: reservations under Medusa's Locking module, as its cart completion makes them; without it, the
 * module's calls alone.
 */
export const medusaSubject = (name: string, url: string, db: pg.Pool, lock: boolean): Subject => ({
  name,
  url,
  spreadItems: async (items, stockedEach) => {
    const skus = Array.from({ length: Math.ceil(items / LOCATIONS.length) }, (_, n) => `SPREAD-${n}`);
    const seeded = await post(url, "/setup", {
      items: skus.map((sku) => ({ sku, levels: LOCATIONS.map((locationId) => ({ locationId, stockedQuantity: stockedEach })) })),
    });
    const ids = new Map<string, string>(seeded.items.map((i: any) => [i.sku, i.id]));
    const pairs = Array.from({ length: items }, (_, i) => ({
      locationId: LOCATIONS[i % LOCATIONS.length]!,
      inventoryItemId: ids.get(skus[Math.floor(i / LOCATIONS.length)]!)!,
    }));
    return {
      next: () => {
        const { locationId, inventoryItemId } = pairs[Math.floor(Math.random() * pairs.length)]!;
        return { method: "POST", path: "/adjustments", headers: {}, body: JSON.stringify({ inventoryItemId, locationId, adjustment: 1 }) };
      },
      stockedTotal: async () =>
        Number(
          (
            await db.query(
              `SELECT coalesce(sum(l.stocked_quantity), 0) AS n FROM inventory_level l JOIN inventory_item i ON i.id = l.inventory_item_id WHERE i.sku LIKE 'SPREAD-%' AND l.deleted_at IS NULL`,
            )
          ).rows[0].n,
        ),
    };
  },
  raceItem: async (run, units) => {
    const sku = `RACE-${lock ? "L" : "U"}-${run}-${randomUUID()}`;
    const seeded = await post(url, "/setup", { items: [{ sku, levels: [{ locationId: LOCATIONS[0], stockedQuantity: units }] }] });
    const inventoryItemId: string = seeded.items[0].id;
    return {
      next: () => ({
        method: "POST",
        path: "/reservations",
        headers: {},
        body: JSON.stringify({ inventoryItemId, locationId: LOCATIONS[0], quantity: 1, lineItemId: `li_${randomUUID()}`, lock }),
      }),
      count: async () => {
        const level = (
          await db.query(
            `SELECT stocked_quantity, reserved_quantity FROM inventory_level WHERE inventory_item_id = $1 AND location_id = $2`,
            [inventoryItemId, LOCATIONS[0]],
          )
        ).rows[0];
        const held = await db.query(
          `SELECT coalesce(sum(quantity), 0) AS n FROM reservation_item WHERE inventory_item_id = $1 AND location_id = $2 AND deleted_at IS NULL`,
          [inventoryItemId, LOCATIONS[0]],
        );
        return {
          stocked: Number(level.stocked_quantity),
          reserved: Number(held.rows[0].n),
          reservedCounter: Number(level.reserved_quantity),
        };
      },
    };
  },
});
