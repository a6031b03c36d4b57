import type { ReplicaStore } from "./replica-store.js";
import type { Freshness } from "./freshness.js";

export interface LaggingReplica {
  store(): ReplicaStore;
  freshness(): Freshness;
  /** The one store whose rows come from its events, on a replica that holds the rest from the chain view. */
  readonly exactStoreId?: string | undefined;
}

/**
 * How stale an answer may be: the worst of the rows it is made of. Rows fed by events (every row on the hub, the
 * agent's own store) are as stale as the feed (`Freshness.lagMs`: 0 while caught up). A row from the coalesced
 * chain view is as stale as the view: the time since the moment its last position record says it is complete up
 * to (the hub publishes one each `AVAILABILITY_COALESCE_MS`), and never less than the feed's lag. `stores` names
 * the stores whose rows the answer holds, or `"chain"` for a chain-wide answer (totals over every store).
 */
export const answerLagMs = (replica: LaggingReplica, stores: readonly string[] | "chain", now = Date.now()): number => {
  const feedLag = replica.freshness().lagMs(now);
  const exact = replica.exactStoreId;
  if (exact === undefined) return feedLag;
  if (stores !== "chain" && stores.every((s) => s === exact)) return feedLag;
  const asOf = replica.store().chainViewAsOf();
  return asOf === null ? feedLag : Math.max(feedLag, Math.round(now - asOf));
};
