import { eq } from "drizzle-orm";
import {
  failure,
  isFailure,
  type Failure,
  type StockItem,
  type Transfer,
  type TransferReceipt,
  type TransferStatus,
} from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import { transfers } from "../db/schema.js";
import { lockStockItem } from "../stock/stock-item-rows.js";

type TransferRow = typeof transfers.$inferSelect;

/** A transfer as the domain sees it, from its row. */
export const transferFromRow = (row: TransferRow): Transfer => ({
  ...row,
  receipt: row.receipt as TransferReceipt,
  status: row.status as TransferStatus,
  history: row.history as Transfer["history"],
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const toRow = (t: Transfer): TransferRow => ({
  ...t,
  lines: [...t.lines],
  history: t.history.map((h) => ({ ...h })),
  createdAt: new Date(t.createdAt),
  updatedAt: new Date(t.updatedAt),
});

export const lockTransfer = async (tx: Transaction, transferId: string): Promise<Transfer | Failure> => {
  const [row] = await tx.select().from(transfers).where(eq(transfers.transferId, transferId)).for("update");
  return row ? transferFromRow(row) : failure("NOT_FOUND", `unknown transfer ${transferId}`, { transferId });
};

export const insertTransfer = (tx: Transaction, t: Transfer) => tx.insert(transfers).values(toRow(t));

export const saveTransfer = (tx: Transaction, t: Transfer) =>
  tx.update(transfers).set(toRow(t)).where(eq(transfers.transferId, t.transferId));

/**
 * Locks both stores' items for a transfer's lines in (store, SKU) order — the order every command uses —
 * so transfers, sales and recounts over the same items never deadlock.
 */
export const lockTransferItems = async (tx: Transaction, t: Transfer): Promise<StockItem[] | Failure> => {
  const keys = t.lines
    .flatMap((l) => [
      [t.fromStore, l.sku],
      [t.toStore, l.sku],
    ])
    .sort(([s1, k1], [s2, k2]) => (s1! < s2! ? -1 : s1! > s2! ? 1 : k1! < k2! ? -1 : k1! > k2! ? 1 : 0));
  const items: StockItem[] = [];
  for (const [storeId, sku] of keys) {
    const item = await lockStockItem(tx, storeId!, sku!);
    if (isFailure(item)) return item;
    items.push(item);
  }
  return items;
};
