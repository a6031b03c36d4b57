import { failure, type Failure } from "./errors.js";
import { available, sellable, type StockItem } from "./stock-item.js";
import { STOCK_EVENT_TYPES, stockItemEventDraft } from "./stock-events.js";
import type { StockDecision } from "./adjust-stock.js";

export interface SellStock {
  readonly qty: number;
  readonly customerId: string | null;
  readonly policy: string | null;
}

/** A sale without a reservation: refused when fewer than qty units are available. */
export const sellStock = (item: StockItem, command: SellStock): StockDecision | Failure => {
  if (available(item) < command.qty) {
    return failure("INSUFFICIENT_STOCK", `only ${sellable(item)} units of ${item.sku} available at ${item.storeId}`, {
      storeId: item.storeId,
      sku: item.sku,
      available: sellable(item),
      requested: command.qty,
    });
  }
  const next: StockItem = { ...item, onHand: item.onHand - command.qty, version: item.version + 1 };
  return {
    next,
    events: [
      stockItemEventDraft(next, STOCK_EVENT_TYPES.sold, {
        qty: command.qty,
        reservationId: null,
        customerId: command.customerId,
        policy: command.policy,
      }),
    ],
  };
};
