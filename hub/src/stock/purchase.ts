import { eq, sql } from "drizzle-orm";
import {
  available,
  sellable,
  failure,
  isFailure,
  orderStoresForPurchase,
  sellStock,
  type PurchaseRequest,
  type StockItem,
} from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import { products, stockItems, stores } from "../db/schema.js";
import type { CommandContext, CommandHandler, CommandSuccess, StagedPlan } from "../command-pipeline/command-handler.js";
import { lockStockItem, saveStockItem } from "./stock-item-rows.js";

const candidates = async (tx: Transaction, sku: string) =>
  tx
    .select({ storeId: stockItems.storeId, onHand: stockItems.onHand, reserved: stockItems.reserved, latencyMs: stores.latencyMs })
    .from(stockItems)
    .innerJoin(stores, eq(stores.storeId, stockItems.storeId))
    .where(eq(stockItems.sku, sku));

const soldReply = (request: PurchaseRequest, storeId: string, sold: StockItem, eventId: string | undefined): CommandSuccess => ({
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
});

const noStoreCanSell = (request: PurchaseRequest, candidates: readonly Pick<StockItem, "onHand" | "reserved">[]) =>
  failure("INSUFFICIENT_STOCK", `no store can sell ${request.qty} units of ${request.sku}`, {
    sku: request.sku,
    requested: request.qty,
    totalAvailable: candidates.reduce((sum, r) => sum + sellable(r), 0),
  });

const sell = (request: PurchaseRequest, item: StockItem) =>
  sellStock(item, { qty: request.qty, customerId: request.customerId ?? null, policy: request.policy });

/**
 * Sells `qty` units of a SKU at a store the policy picks. Candidates are read without locks, then tried
 * in policy order: each try locks one item and re-checks it, and a store emptied by a racing purchase is
 * let go (the command's changes undone) before the next one is tried. One item lock at a time, so purchases
 * never deadlock. In a batch, a purchase by any policy but round-robin (which takes a shared ticket) is
 * decided against the SKU's rows the batch holds locked, so no store can be emptied under it.
 */
export const purchase = (request: PurchaseRequest, nextTicket: (tx: Transaction) => Promise<number>): CommandHandler => {
  const handler = async (ctx: CommandContext) => {
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
      const decision = isFailure(item) ? item : sell(request, item);
      if (isFailure(decision)) {
        // Emptied by a racing command since the candidates were read: its row is let go before the next is tried.
        if (i < order.length - 1) await ctx.undo();
        continue;
      }
      await saveStockItem(ctx.tx, decision.next, ctx.now);
      return soldReply(request, storeId, decision.next, decision.events.map(ctx.emit)[0]?.eventId);
    }
    return noStoreCanSell(request, rows);
  };
  if (request.policy === "round-robin") return handler;
  const staged: StagedPlan = {
    sku: request.sku,
    decide: (held, emit) => {
      // No stock rows: the handler tells an unknown SKU from one never stocked.
      if (held.size === 0) return null;
      const rows = [...held.values()];
      const order = orderStoresForPurchase(
        rows.map((r) => ({ storeId: r.item.storeId, available: available(r.item), latencyMs: r.latencyMs })),
        request.qty,
        request.policy,
        0,
      );
      for (const storeId of order) {
        const decision = sell(request, held.get(storeId)!.item);
        if (isFailure(decision)) continue;
        return { outcome: soldReply(request, storeId, decision.next, decision.events.map(emit)[0]?.eventId), changed: [decision.next] };
      }
      return {
        outcome: noStoreCanSell(
          request,
          rows.map((r) => r.item),
        ),
        changed: [],
      };
    },
  };
  return Object.assign(handler, { staged });
};

/** A counter shared by every hub, so round-robin rotates fairly across concurrent purchases. */
export const nextRoundRobinTicket = async (tx: Transaction): Promise<number> => {
  const result = await tx.execute<{ n: string }>(sql`SELECT nextval('purchase_round_robin') AS n`);
  return Number(result.rows[0]?.n ?? 0);
};
