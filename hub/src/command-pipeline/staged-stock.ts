import { sql } from "drizzle-orm";
import type { StockItem } from "@inventory/shared";
import type { Transaction } from "../db/database.js";

/** A stock row a batch holds locked, with what a purchase policy needs to know of its store. */
export interface StagedStockRow {
  readonly item: StockItem;
  readonly latencyMs: number | null;
}

/** The rows of one SKU, by store. */
export type StagedSku = ReadonlyMap<string, StagedStockRow>;

/**
 * The stock rows of a batch's SKUs, locked in one statement and changed in memory by the commands that can be
 * decided there, then written back in one statement. Between the two, nothing else in the transaction may
 * touch those rows: before a command runs its own SQL the batch flushes and forgets what it holds.
 */
export const stagedStock = (tx: Transaction) => {
  const bySku = new Map<string, Map<string, StagedStockRow>>();
  const changed = new Map<string, { item: StockItem; at: Date }>();

  return {
    /** Locks and reads every row of these SKUs that is not held yet (store order, as every locker here). */
    async load(skus: Iterable<string>): Promise<void> {
      const missing = [...new Set(skus)].filter((sku) => !bySku.has(sku)).sort();
      if (missing.length === 0) return;
      for (const sku of missing) bySku.set(sku, new Map());
      const rows = await tx.execute<{
        store_id: string;
        sku: string;
        on_hand: number;
        reserved: number;
        in_transit: number;
        version: number;
        latency_ms: number | null;
      }>(sql`
        SELECT s.store_id, s.sku, s.on_hand, s.reserved, s.in_transit, s.version, st.latency_ms
        FROM stock_items s JOIN stores st ON st.store_id = s.store_id
        WHERE s.sku = ANY(${sql.param(missing)}::text[])
        ORDER BY s.sku, s.store_id
        FOR UPDATE OF s`);
      for (const r of rows.rows) {
        const item = {
          storeId: r.store_id,
          sku: r.sku,
          onHand: r.on_hand,
          reserved: r.reserved,
          inTransit: r.in_transit,
          version: r.version,
        };
        bySku.get(r.sku)!.set(r.store_id, { item, latencyMs: r.latency_ms });
      }
    },

    /** The held rows of a SKU; empty when it has none (or was not loaded). */
    rows(sku: string): StagedSku {
      return bySku.get(sku) ?? new Map();
    },

    /** Records a decided change; it reaches the database with the next flush. */
    put(item: StockItem, at: Date): void {
      const row = bySku.get(item.sku)?.get(item.storeId);
      if (!row) throw new Error(`${item.storeId}/${item.sku} is not held by this batch`);
      bySku.get(item.sku)!.set(item.storeId, { ...row, item });
      changed.set(`${item.storeId}\u0000${item.sku}`, { item, at });
    },

    /** Writes every change made since the last flush, in one statement. */
    async flush(): Promise<void> {
      if (changed.size === 0) return;
      const items = [...changed.values()];
      changed.clear();
      const column = <T>(pick: (c: { item: StockItem; at: Date }) => T) => sql.param(items.map(pick));
      await tx.execute(sql`
        UPDATE stock_items s
        SET on_hand = v.on_hand, reserved = v.reserved, in_transit = v.in_transit, version = v.version, updated_at = v.updated_at
        FROM unnest(${column((c) => c.item.storeId)}::text[], ${column((c) => c.item.sku)}::text[], ${column((c) => c.item.onHand)}::int[],
          ${column((c) => c.item.reserved)}::int[], ${column((c) => c.item.inTransit)}::int[], ${column((c) => c.item.version)}::int[],
          ${column((c) => c.at.toISOString())}::timestamptz[]) AS v(store_id, sku, on_hand, reserved, in_transit, version, updated_at)
        WHERE s.store_id = v.store_id AND s.sku = v.sku`);
    },

    /** Drops what is held (after a flush), so that the next load reads what other SQL may have changed. */
    forget(): void {
      if (changed.size > 0) throw new Error("staged stock forgotten before it was flushed");
      bySku.clear();
    },

    get holdsAny(): boolean {
      return bySku.size > 0;
    },
  };
};

export type StagedStock = ReturnType<typeof stagedStock>;
