import { failure, type Failure } from "./errors.js";
import type { StockItem } from "./stock-item.js";

/** Optimistic locking: the caller's `If-Match` version must be the item's current one. */
export const checkExpectedVersion = (item: StockItem, expectedVersion: number | undefined): Failure | undefined =>
  expectedVersion === undefined || expectedVersion === item.version
    ? undefined
    : failure("VERSION_CONFLICT", `${item.sku} at ${item.storeId} is at version ${item.version}, not ${expectedVersion}`, {
        storeId: item.storeId,
        sku: item.sku,
        currentVersion: item.version,
        expectedVersion,
      });
