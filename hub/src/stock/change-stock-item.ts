import { isFailure, type Failure, type StockDecision, type StockItem } from "@inventory/shared";
import type { StockCommand } from "../command-pipeline/command.js";
import { stockItemReply } from "./stock-item-reply.js";

/**
 * The shape every single-item stock command shares: decide (pure) against the item its batch holds, answer with
 * the item as it now stands. An item that never held stock is created at zero first.
 */
export const changeStockItem = (storeId: string, sku: string, decide: (item: StockItem) => StockDecision | Failure): StockCommand => ({
  kind: "stock",
  sku,
  storeId,
  decide: (stock, emit) => {
    const row = stock.row(storeId);
    const decision = isFailure(row) ? row : decide(row.item);
    if (isFailure(decision)) return { outcome: decision, changed: [] };
    const events = decision.events.map(emit);
    return { outcome: stockItemReply(decision.next, events[events.length - 1]), changed: [decision.next] };
  },
});
