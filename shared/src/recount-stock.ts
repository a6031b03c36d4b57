import type { Failure } from "./errors.js";
import type { StockItem } from "./stock-item.js";
import { STOCK_EVENT_TYPES, stockItemEventDraft } from "./stock-events.js";
import { checkExpectedVersion } from "./expected-version.js";
import type { StockDecision } from "./adjust-stock.js";

export interface RecountStock {
  readonly onHand: number;
  readonly countRef: string | null;
  readonly expectedVersion?: number;
  readonly reconciliationId?: string;
}

/**
 * An absolute count is a fact from the shelf: it is never refused for stock reasons.
 * Reserved units are left as they are, because each is a customer's hold that only its
 * confirm, cancel or expiry may release. When the count is below the reserved units,
 * available goes negative: the shortfall, which blocks every new sale and hold until restocked.
 */
export const recountStock = (item: StockItem, command: RecountStock): StockDecision | Failure => {
  const versionFailure = checkExpectedVersion(item, command.expectedVersion);
  if (versionFailure) return versionFailure;
  const next: StockItem = { ...item, onHand: command.onHand, version: item.version + 1 };
  return {
    next,
    events: [
      stockItemEventDraft(next, STOCK_EVENT_TYPES.recounted, {
        previousOnHand: item.onHand,
        delta: command.onHand - item.onHand,
        countRef: command.countRef,
        ...(command.reconciliationId ? { reconciliationId: command.reconciliationId } : {}),
      }),
    ],
  };
};
