import { eq, sql } from "drizzle-orm";
import {
  available,
  failure,
  isFailure,
  orderStoresForPurchase,
  sellStock,
  type PurchaseRequest,
} from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import { products, stockItems, stores } from "../db/schema.js";
import type { CommandHandler } from "./command-handler.js";
import { lockStockItem, saveStockItem } from "./stock-item-rows.js";

const candidates = async (tx: Transaction, sku: string) =>
  tx
    .select({ storeId: stockItems.storeId, onHand: stockItems.onHand, reserved: stockItems.reserved, latencyMs: stores.latencyMs })
    .from(stockItems)
    .innerJoin(stores, eq(stores.storeId, stockItems.storeId))
    .where(eq(stockItems.sku, sku));

/**
 * Sells `qty` units of a SKU at a store the policy picks. Candidates are read without locks, then tried
 * in policy order: each try locks one item and re-checks it, and a store emptied by a racing purchase is
 * let go (the command's changes undone) before the next one is tried. One item lock at a time, so purchases
 * never deadlock.
 */
export const purchase =
  (request: PurchaseRequest, nextTicket: (tx: Transaction) => Promise<number>): CommandHandler =>
  async (ctx) => {
    const rows = await candidates(ctx.tx, request.sku);
    // A SKU with stock rows exists; only a SKU without any needs the catalogue to tell unknown from unstocked.
    if (rows.length === 0) {
      const [product] = await ctx.tx.select({ sku: products.sku }).from(products).where(eq(products.sku, request.sku));
      if (!product) return failure("NOT_FOUND", `unknown sku ${request.sku}`, { sku: request.sku });
    }
    const ticket = request.policy === "round-robin" ? await nextTicket(ctx.tx) : 0;
    const order = orderStoresForPurchase(
      rows.map((r) => ({ storeId: r.storeId, available: available(r), latencyMs: r.latencyMs })),
      request.qty,
      request.policy,
      ticket,
    );
    for (const [i, storeId] of order.entries()) {
      const item = await lockStockItem(ctx.tx, storeId, request.sku);
      const decision = isFailure(item) ? item : sellStock(item, { qty: request.qty, customerId: request.customerId ?? null, policy: request.policy });
      if (isFailure(decision)) {
        // Emptied by a racing command since the candidates were read: its row is let go before the next is tried.
        if (i < order.length - 1) await ctx.undo();
        continue;
      }
      const sold = decision.next;
      await saveStockItem(ctx.tx, sold, ctx.now);
      const eventId = decision.events.map(ctx.emit)[0]?.eventId;
      return {
        status: 202,
        body: {
          sku: request.sku,
          qty: request.qty,
          storeId,
          policy: request.policy,
          onHand: sold.onHand,
          available: available(sold),
          version: sold.version,
          eventId,
        },
        headers: { ETag: `"${sold.version}"` },
      };
    }
    const total = rows.reduce((sum, r) => sum + Math.max(available(r), 0), 0);
    return failure("INSUFFICIENT_STOCK", `no store can sell ${request.qty} units of ${request.sku}`, {
      sku: request.sku,
      requested: request.qty,
      totalAvailable: total,
    });
  };

/** A counter shared by every hub, so round-robin rotates fairly across concurrent purchases. */
export const nextRoundRobinTicket = async (tx: Transaction): Promise<number> => {
  const result = await tx.execute<{ n: string }>(sql`SELECT nextval('purchase_round_robin') AS n`);
  return Number(result.rows[0]?.n ?? 0);
};
