import { RESERVATION_AGGREGATE, STOCK_ITEM_AGGREGATE, TRANSFER_AGGREGATE, type ConsistencyEntry } from "@inventory/shared";
import type { ReplicaStore } from "../replica-store.js";

/**
 * Whether this replica reflects one row a token names: its version here is at least the token's. A stock item
 * is looked up as its (storeId, sku) row, with the version it keeps whatever else the replica coalesces; a store
 * or a product only has to be known. A type this code does not know cannot be waited for and counts as reached.
 */
export const rowReached = (store: ReplicaStore, entry: ConsistencyEntry): boolean => {
  switch (entry.type) {
    case STOCK_ITEM_AGGREGATE: {
      const at = entry.id.indexOf(":");
      if (at < 0) return true;
      const rows = store.availability(entry.id.slice(at + 1), entry.id.slice(0, at));
      return (rows?.[0]?.version ?? -1) >= entry.version;
    }
    case RESERVATION_AGGREGATE:
      return (store.reservation(entry.id)?.version ?? -1) >= entry.version;
    case TRANSFER_AGGREGATE:
      return (store.transfer(entry.id)?.version ?? -1) >= entry.version;
    case "store":
      return store.storeExists(entry.id);
    case "product":
      return store.availability(entry.id) !== undefined;
    default:
      return true;
  }
};
