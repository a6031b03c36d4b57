import { randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import { adjustStock } from "@inventory/shared";
import type { Database } from "../db/database.js";
import { stores } from "../db/schema.js";
import { HUB_PRINCIPAL, type Command } from "../command-pipeline/command.js";
import type { CommandExecutor } from "../command-pipeline/execute-command.js";
import { createStore } from "./create-store.js";
import { createProduct } from "./create-product.js";
import { changeStockItem } from "../stock/change-stock-item.js";

const DEMO_STORES = [
  { storeId: "S1", name: "Downtown", latencyMs: 5 },
  { storeId: "S2", name: "Airport", latencyMs: 12 },
  { storeId: "S3", name: "Harbour", latencyMs: 20 },
];

/** SKU, name, and units per store. A1 starts with stock in S1. */
const DEMO_PRODUCTS: [string, string, Record<string, number>][] = [
  ["A1", "Espresso cup", { S1: 120, S2: 40, S3: 25 }],
  ["B2", "Milk jug", { S1: 15, S2: 30 }],
  ["C3", "Coffee beans 1kg", { S2: 60, S3: 80 }],
];

/**
 * Seeds demo stores and SKUs through the ordinary commands (so their events reach every replica),
 * only when no store exists yet.
 */
export const seedDemoData = async (db: Database, execute: CommandExecutor): Promise<boolean> => {
  const [row] = await db.select({ n: count() }).from(stores);
  if ((row?.n ?? 0) > 0) return false;
  const run = (command: Command) =>
    execute(
      { principal: HUB_PRINCIPAL, idempotency: { scope: "seed", key: randomUUID(), fingerprint: "seed" }, traceId: "seed-demo" },
      command,
    );
  for (const store of DEMO_STORES) await run(createStore(store));
  for (const [sku, name, perStore] of DEMO_PRODUCTS) {
    await run(createProduct({ sku, name, initialOnHand: 0 }));
    for (const [storeId, units] of Object.entries(perStore)) {
      await run(changeStockItem(storeId, sku, (item) => adjustStock(item, { delta: units, reason: "restock" })));
    }
  }
  return true;
};
