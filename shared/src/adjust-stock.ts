import { failure, type Failure } from "./errors.js";
import type { EventDraft } from "./event-envelope.js";
import { available, sellable, type StockItem } from "./stock-item.js";
import { STOCK_EVENT_TYPES, stockItemEventDraft } from "./stock-events.js";
import { checkExpectedVersion } from "./expected-version.js";
import { MAX_QUANTITY } from "./identifiers.js";

export interface AdjustStock {
  readonly delta: number;
  readonly reason: string;
  readonly expectedVersion?: number;
}

export interface StockDecision {
  readonly next: StockItem;
  readonly events: readonly EventDraft[];
}

/** A relative change. Refused when it would leave fewer units available than zero, or more on hand than MAX_QUANTITY. */
export const adjustStock = (item: StockItem, command: AdjustStock): StockDecision | Failure => {
  const versionFailure = checkExpectedVersion(item, command.expectedVersion);
  if (versionFailure) return versionFailure;
  const onHand = item.onHand + command.delta;
  if (command.delta < 0 && available({ onHand, reserved: item.reserved }) < 0) {
    return failure("INSUFFICIENT_STOCK", `only ${sellable(item)} units of ${item.sku} available at ${item.storeId}`, {
      storeId: item.storeId,
      sku: item.sku,
      available: available(item),
      requested: -command.delta,
    });
  }
  if (onHand > MAX_QUANTITY) {
    return failure("QUANTITY_LIMIT_EXCEEDED", `${item.sku} at ${item.storeId} would hold ${onHand} units; the limit is ${MAX_QUANTITY}`, {
      storeId: item.storeId,
      sku: item.sku,
      onHand: item.onHand,
      limit: MAX_QUANTITY,
    });
  }
  const next: StockItem = { ...item, onHand, version: item.version + 1 };
  return {
    next,
    events: [stockItemEventDraft(next, STOCK_EVENT_TYPES.adjusted, { delta: command.delta, reason: command.reason })],
  };
};
