import { sql } from "drizzle-orm";
import { failure, IDENTIFIER_PATTERN, isFailure, recountStock, type ReconciliationRequest, type StockItem } from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import { sqlCommand, type SqlCommand } from "../command-pipeline/command.js";

interface Rejected {
  sku: string;
  code: "NOT_FOUND" | "VALIDATION_ERROR";
  message: string;
}

/**
 * Sets every SKU of a store to the snapshot's count, as a recount would, in one transaction and in a
 * handful of statements whatever the snapshot's size. Unchanged items emit nothing; unknown SKUs are
 * rejected line by line and never created.
 */
export const reconcileStore = (request: ReconciliationRequest, reconciliationId: string): SqlCommand =>
  sqlCommand(async (ctx) => {
    const store = await ctx.tx.execute(sql`SELECT 1 FROM stores WHERE store_id = ${request.storeId}`);
    if (store.rows.length === 0) return failure("NOT_FOUND", `unknown store ${request.storeId}`, { storeId: request.storeId });

    const rejected: Rejected[] = [];
    const wellFormed: string[] = [];
    for (const sku of Object.keys(request.snapshotOnHand).sort()) {
      if (IDENTIFIER_PATTERN.test(sku)) wellFormed.push(sku);
      else rejected.push({ sku, code: "VALIDATION_ERROR", message: "not a valid SKU" });
    }
    const known = new Set(
      (await ctx.tx.execute<{ sku: string }>(sql`SELECT sku FROM products WHERE sku = ANY(${sql.param(wellFormed)}::text[])`)).rows.map(
        (r) => r.sku,
      ),
    );
    for (const sku of wellFormed) if (!known.has(sku)) rejected.push({ sku, code: "NOT_FOUND", message: `unknown sku ${sku}` });
    const skus = wellFormed.filter((sku) => known.has(sku));

    const items = await lockItems(ctx.tx, request.storeId, skus);
    const changes: { sku: string; previousOnHand: number; onHand: number; delta: number }[] = [];
    const changed: StockItem[] = [];
    for (const item of items) {
      const onHand = request.snapshotOnHand[item.sku]!;
      if (onHand === item.onHand) continue;
      const decision = recountStock(item, { onHand, countRef: request.source ?? null, reconciliationId });
      if (isFailure(decision)) return decision;
      changed.push(decision.next);
      decision.events.forEach(ctx.emit);
      changes.push({ sku: item.sku, previousOnHand: item.onHand, onHand, delta: onHand - item.onHand });
    }
    await saveItems(ctx.tx, changed, ctx.now);
    return {
      status: 202,
      body: {
        reconciliationId,
        storeId: request.storeId,
        source: request.source ?? null,
        changes,
        unchanged: items.length - changes.length,
        rejected: rejected.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)),
      },
    };
  });

/** Creates missing items at zero and locks them all, in SKU order, in two statements. */
const lockItems = async (tx: Transaction, storeId: string, skus: string[]): Promise<StockItem[]> => {
  await tx.execute(sql`
    INSERT INTO stock_items (store_id, sku, on_hand, reserved, in_transit, version)
    SELECT ${storeId}, sku, 0, 0, 0, 0 FROM unnest(${sql.param(skus)}::text[]) AS s(sku)
    ON CONFLICT DO NOTHING`);
  const rows = await tx.execute<{ sku: string; on_hand: number; reserved: number; in_transit: number; version: number }>(sql`
    SELECT sku, on_hand, reserved, in_transit, version FROM stock_items
    WHERE store_id = ${storeId} AND sku = ANY(${sql.param(skus)}::text[])
    ORDER BY sku FOR UPDATE`);
  return rows.rows.map((r) => ({
    storeId,
    sku: r.sku,
    onHand: r.on_hand,
    reserved: r.reserved,
    inTransit: r.in_transit,
    version: r.version,
  }));
};

const saveItems = async (tx: Transaction, items: StockItem[], now: Date) => {
  if (items.length === 0) return;
  await tx.execute(sql`
    UPDATE stock_items AS i SET on_hand = c.on_hand, version = c.version, updated_at = ${now.toISOString()}
    FROM unnest(${sql.param(items.map((i) => i.sku))}::text[], ${sql.param(items.map((i) => i.onHand))}::int[], ${sql.param(items.map((i) => i.version))}::int[])
      AS c(sku, on_hand, version)
    WHERE i.store_id = ${items[0]!.storeId} AND i.sku = c.sku`);
};
