import { compareIds } from "./place-new-product.js";

export const PURCHASE_POLICIES = ["highest-available", "lowest-latency", "round-robin"] as const;
export type PurchasePolicy = (typeof PURCHASE_POLICIES)[number];

export interface PurchaseCandidate {
  readonly storeId: string;
  readonly available: number;
  readonly latencyMs: number | null;
}

/**
 * The stores to try for a purchase of `qty`, best first. Only stores that can fill the whole qty are
 * candidates; if a racing purchase empties the first, the caller moves on to the next.
 * - highest-available: most available units first;
 * - lowest-latency: smallest registry latency first (unknown latency last);
 * - round-robin: rotate by `ticket` (a counter shared by all purchases) over the stores in id order.
 * Ties break by storeId.
 */
export const orderStoresForPurchase = (
  candidates: readonly PurchaseCandidate[],
  qty: number,
  policy: PurchasePolicy,
  ticket: number,
): string[] => {
  const able = candidates.filter((c) => c.available >= qty).sort((a, b) => compareIds(a.storeId, b.storeId));
  if (policy === "highest-available") able.sort((a, b) => b.available - a.available || compareIds(a.storeId, b.storeId));
  if (policy === "lowest-latency") {
    able.sort((a, b) => (a.latencyMs ?? Infinity) - (b.latencyMs ?? Infinity) || compareIds(a.storeId, b.storeId));
  }
  if (policy === "round-robin" && able.length > 0) {
    const start = ((ticket % able.length) + able.length) % able.length;
    return [...able.slice(start), ...able.slice(0, start)].map((c) => c.storeId);
  }
  return able.map((c) => c.storeId);
};
