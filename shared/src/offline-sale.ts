import { failure, type Failure } from "./errors.js";
import { available, type StockItem } from "./stock-item.js";
import { STOCK_EVENT_TYPES, STOCK_RECOUNT_REQUIRED, stockItemEventDraft } from "./stock-events.js";
import { MAX_QUANTITY } from "./identifiers.js";
import type { StockDecision } from "./adjust-stock.js";

/** Only what already happened at a counter may be recorded offline: a sale or a return. */
export const OFFLINE_REASONS = ["sale", "return"] as const;

/** A till's clock may run a little ahead of the hub's; beyond this an `occurredAt` in the future is malformed. */
export const OFFLINE_CLOCK_SKEW_MS = 5 * 60_000;

export interface OfflineAdjustment {
  readonly delta: number;
  readonly reason: string;
  /** When the sale happened at the counter, as the agent journaled it (ISO 8601). */
  readonly occurredAt: string;
}

export interface OfflinePolicy {
  readonly now: Date;
  readonly maxAgeHours: number;
}

/** Is this replayed offline change acceptable at all? Too old or from the future is refused; stock never is. */
export const checkOfflineAdjustment = (command: OfflineAdjustment, policy: OfflinePolicy): Failure | undefined => {
  const at = Date.parse(command.occurredAt);
  if (!Number.isFinite(at)) return failure("VALIDATION_ERROR", "occurredAt must be an ISO 8601 date-time");
  if (!(OFFLINE_REASONS as readonly string[]).includes(command.reason)) {
    return failure("VALIDATION_ERROR", `only ${OFFLINE_REASONS.join(" and ")} may be recorded offline`);
  }
  if (at > policy.now.getTime() + OFFLINE_CLOCK_SKEW_MS) {
    return failure("VALIDATION_ERROR", "occurredAt is in the future", { occurredAt: command.occurredAt });
  }
  const ageHours = (policy.now.getTime() - at) / 3_600_000;
  if (ageHours > policy.maxAgeHours) {
    return failure(
      "OFFLINE_SALE_TOO_OLD",
      `an offline ${command.reason} older than ${policy.maxAgeHours} h is not applied; record it by a recount`,
      {
        occurredAt: command.occurredAt,
        maxAgeHours: policy.maxAgeHours,
      },
    );
  }
  return undefined;
};

/** Does the item as it now stands need a person to count it? */
export const needsRecount = (item: Pick<StockItem, "onHand" | "reserved">): boolean => item.onHand < 0 || available(item) < 0;

/**
 * A sale or return that already happened while the store was cut off from the hub. The goods are gone, so it
 * is never refused for stock reasons: onHand or available may go below zero, and then the item is flagged
 * for a recount with a `StockRecountRequired` event. Only a quantity beyond MAX_QUANTITY is refused.
 */
export const adjustOffline = (item: StockItem, command: OfflineAdjustment, policy: OfflinePolicy): StockDecision | Failure => {
  const refused = checkOfflineAdjustment(command, policy);
  if (refused) return refused;
  const onHand = item.onHand + command.delta;
  if (Math.abs(onHand) > MAX_QUANTITY) {
    return failure("QUANTITY_LIMIT_EXCEEDED", `${item.sku} at ${item.storeId} would hold ${onHand} units; the limit is ${MAX_QUANTITY}`, {
      storeId: item.storeId,
      sku: item.sku,
      onHand: item.onHand,
      limit: MAX_QUANTITY,
    });
  }
  const next: StockItem = { ...item, onHand, version: item.version + 1 };
  const adjusted = stockItemEventDraft(next, STOCK_EVENT_TYPES.adjusted, {
    delta: command.delta,
    reason: command.reason,
    offline: true,
    occurredAt: command.occurredAt,
  });
  if (!needsRecount(next)) return { next, events: [adjusted] };
  const flagged = stockItemEventDraft(next, STOCK_RECOUNT_REQUIRED, {
    available: available(next),
    cause: "offline-sale-below-zero",
    occurredAt: command.occurredAt,
  });
  return { next, events: [adjusted, flagged] };
};
