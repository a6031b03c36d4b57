import { sql } from "drizzle-orm";
import { emptyStockItem, failure, type Failure, type StockItem } from "@inventory/shared";
import type { Transaction } from "../db/database.js";

/** A stock row a batch holds locked, with what a purchase policy needs to know of its store. */
export interface HeldStockRow {
  readonly item: StockItem;
  readonly latencyMs: number | null;
}

/** One SKU's rows as a batch holds them. */
export interface HeldSku {
  /** The rows, by store. */
  readonly rows: ReadonlyMap<string, HeldStockRow>;
  /** The row of the store a command named (see StockCommand.storeId), or why it has none: an unknown store or SKU. */
  row(storeId: string): HeldStockRow | Failure;
  /** Whether the SKU is in the catalogue. */
  readonly skuKnown: boolean;
}

/** What a stock command needs held: its SKU's rows, and the row of the store it names, created when missing. */
export interface StockNeed {
  readonly sku: string;
  readonly storeId?: string;
}

type Row = {
  store_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  in_transit: number;
  version: number;
  latency_ms: number | null;
};

const heldRow = (r: Row): HeldStockRow => ({
  item: { storeId: r.store_id, sku: r.sku, onHand: r.on_hand, reserved: r.reserved, inTransit: r.in_transit, version: r.version },
  latencyMs: r.latency_ms,
});

const pairParams = (pairs: readonly { sku: string; storeId: string }[]) => ({
  stores: sql.param(pairs.map((p) => p.storeId)),
  skus: sql.param(pairs.map((p) => p.sku)),
});

/**
 * The stock rows of a batch's SKUs, locked in one statement and changed in memory by its stock commands, then
 * written back in one statement. A (store, SKU) pair that never held stock is created at zero when a command
 * names it, as long as the store and the SKU exist. Between load and flush nothing else in the transaction may
 * touch those rows: before a SQL command runs, the batch flushes and forgets what it holds.
 */
export const heldStock = (tx: Transaction) => {
  const bySku = new Map<string, Map<string, HeldStockRow>>();
  const changed = new Map<string, { item: StockItem; at: Date }>();
  const knownStores = new Set<string>();
  const knownSkus = new Set<string>();

  const hold = (rows: readonly Row[]) => {
    for (const r of rows) {
      bySku.get(r.sku)!.set(r.store_id, heldRow(r));
      knownStores.add(r.store_id);
      knownSkus.add(r.sku);
    }
  };

  /** Creates the missing pairs whose store and SKU exist, and locks them. */
  const createMissing = async (pairs: readonly { sku: string; storeId: string }[]) => {
    const empty = emptyStockItem("", "");
    const p = pairParams(pairs);
    await tx.execute(sql`
      INSERT INTO stock_items (store_id, sku, on_hand, reserved, version)
      SELECT v.store_id, v.sku, ${empty.onHand}, ${empty.reserved}, ${empty.version}
      FROM unnest(${p.stores}::text[], ${p.skus}::text[]) AS v(store_id, sku)
      WHERE EXISTS (SELECT 1 FROM stores WHERE store_id = v.store_id) AND EXISTS (SELECT 1 FROM products WHERE sku = v.sku)
      ORDER BY v.sku, v.store_id
      ON CONFLICT DO NOTHING`);
    const locked = await tx.execute<Row>(sql`
      SELECT s.store_id, s.sku, s.on_hand, s.reserved, s.in_transit, s.version, st.latency_ms
      FROM stock_items s JOIN stores st ON st.store_id = s.store_id
      WHERE (s.store_id, s.sku) IN (SELECT * FROM unnest(${p.stores}::text[], ${p.skus}::text[]))
      ORDER BY s.sku, s.store_id
      FOR UPDATE OF s`);
    hold(locked.rows);
  };

  /** Learns which of these stores and SKUs exist, to say why a row is missing. */
  const learnCatalogue = async (storeIds: readonly string[], skus: readonly string[]) => {
    const found = await tx.execute<{ kind: "store" | "sku"; id: string }>(sql`
      SELECT 'store' AS kind, store_id AS id FROM stores WHERE store_id = ANY(${sql.param(storeIds)}::text[])
      UNION ALL SELECT 'sku', sku FROM products WHERE sku = ANY(${sql.param(skus)}::text[])`);
    for (const r of found.rows) (r.kind === "store" ? knownStores : knownSkus).add(r.id);
  };

  return {
    /** Locks and reads every row of these SKUs that is not held yet (store order, as every locker here). */
    async load(needs: readonly StockNeed[]): Promise<void> {
      const missing = [...new Set(needs.map((n) => n.sku))].filter((sku) => !bySku.has(sku)).sort();
      if (missing.length > 0) {
        for (const sku of missing) bySku.set(sku, new Map());
        const rows = await tx.execute<Row>(sql`
          SELECT s.store_id, s.sku, s.on_hand, s.reserved, s.in_transit, s.version, st.latency_ms
          FROM stock_items s JOIN stores st ON st.store_id = s.store_id
          WHERE s.sku = ANY(${sql.param(missing)}::text[])
          ORDER BY s.sku, s.store_id
          FOR UPDATE OF s`);
        hold(rows.rows);
      }
      const absent = () =>
        needs.flatMap((n) => (n.storeId !== undefined && !bySku.get(n.sku)!.has(n.storeId) ? [{ sku: n.sku, storeId: n.storeId }] : []));
      if (absent().length > 0) await createMissing(absent());
      const unexplainedStores = absent().filter((p) => !knownStores.has(p.storeId));
      const unexplainedSkus = needs.filter((n) => bySku.get(n.sku)!.size === 0 && !knownSkus.has(n.sku));
      if (unexplainedStores.length > 0 || unexplainedSkus.length > 0) {
        await learnCatalogue(
          unexplainedStores.map((p) => p.storeId),
          unexplainedSkus.map((n) => n.sku),
        );
      }
    },

    /** The held rows of a SKU (load it first). */
    sku(sku: string): HeldSku {
      const rows = bySku.get(sku) ?? new Map<string, HeldStockRow>();
      return {
        rows,
        skuKnown: rows.size > 0 || knownSkus.has(sku),
        row: (storeId) =>
          rows.get(storeId) ??
          (knownStores.has(storeId)
            ? failure("NOT_FOUND", `unknown sku ${sku}`, { sku })
            : failure("NOT_FOUND", `unknown store ${storeId}`, { storeId })),
      };
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
      if (changed.size > 0) throw new Error("held stock forgotten before it was flushed");
      bySku.clear();
      knownStores.clear();
      knownSkus.clear();
    },

    get holdsAny(): boolean {
      return bySku.size > 0;
    },
  };
};

export type HeldStock = ReturnType<typeof heldStock>;
