import {
  available,
  failure,
  isFailure,
  orderStoresForPurchase,
  sellable,
  sellStock,
  type PurchaseRequest,
  type StockItem,
} from "@inventory/shared";
import type { Reply, StockCommand } from "../command-pipeline/command.js";

const soldReply = (request: PurchaseRequest, storeId: string, sold: StockItem, eventId: string | undefined): Reply => ({
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

const noStoreCanSell = (request: PurchaseRequest, items: readonly StockItem[]) =>
  failure("INSUFFICIENT_STOCK", `no store can sell ${request.qty} units of ${request.sku}`, {
    sku: request.sku,
    requested: request.qty,
    totalAvailable: items.reduce((sum, item) => sum + sellable(item), 0),
  });

/**
 * Sells `qty` units of a SKU at a store the policy picks, among the SKU's rows its batch holds locked, so no
 * store can be emptied under it. Round-robin rotates by a ticket from a sequence shared by every hub.
 */
export const purchase = (request: PurchaseRequest): StockCommand => ({
  kind: "stock",
  sku: request.sku,
  drawsTicket: request.policy === "round-robin",
  decide: (stock, emit, ticket) => {
    if (!stock.skuKnown) return { outcome: failure("NOT_FOUND", `unknown sku ${request.sku}`, { sku: request.sku }), changed: [] };
    const rows = [...stock.rows.values()];
    const order = orderStoresForPurchase(
      rows.map((r) => ({ storeId: r.item.storeId, available: available(r.item), latencyMs: r.latencyMs })),
      request.qty,
      request.policy,
      ticket,
    );
    for (const storeId of order) {
      const decision = sellStock(stock.rows.get(storeId)!.item, {
        qty: request.qty,
        customerId: request.customerId ?? null,
        policy: request.policy,
      });
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
});
