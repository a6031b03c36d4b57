import { and, eq, sql } from "drizzle-orm";
import { emptyStockItem, failure, type Failure, type StockItem } from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import { products, stockItems, stores } from "../db/schema.js";

/**
 * Locks a stock item for the rest of the transaction. A (store, SKU) pair that never held stock
 * is created at zero first; an unknown store or SKU is a NOT_FOUND.
 */
export const lockStockItem = async (tx: Transaction, storeId: string, sku: string): Promise<StockItem | Failure> => {
  const lock = () =>
    tx
      .select()
      .from(stockItems)
      .where(and(eq(stockItems.storeId, storeId), eq(stockItems.sku, sku)))
      .for("update");
  let [row] = await lock();
  if (!row) {
    const empty = emptyStockItem(storeId, sku);
    await tx.execute(sql`
      INSERT INTO ${stockItems} (store_id, sku, on_hand, reserved, version)
      SELECT ${storeId}, ${sku}, ${empty.onHand}, ${empty.reserved}, ${empty.version}
      WHERE EXISTS (SELECT 1 FROM ${stores} WHERE store_id = ${storeId})
        AND EXISTS (SELECT 1 FROM ${products} WHERE sku = ${sku})
      ON CONFLICT DO NOTHING`);
    [row] = await lock();
  }
  if (row) return { storeId, sku, onHand: row.onHand, reserved: row.reserved, inTransit: row.inTransit, version: row.version };
  const [store] = await tx.select({ id: stores.storeId }).from(stores).where(eq(stores.storeId, storeId));
  return store ? failure("NOT_FOUND", `unknown sku ${sku}`, { sku }) : failure("NOT_FOUND", `unknown store ${storeId}`, { storeId });
};

export const saveStockItem = async (tx: Transaction, item: StockItem, now: Date): Promise<void> => {
  await tx
    .update(stockItems)
    .set({ onHand: item.onHand, reserved: item.reserved, inTransit: item.inTransit, version: item.version, updatedAt: now })
    .where(and(eq(stockItems.storeId, item.storeId), eq(stockItems.sku, item.sku)));
};
