export interface StoreStockTotal {
  readonly storeId: string;
  readonly totalOnHand: number;
}

/** A new product's first units go to the store holding the fewest units overall; ties go to the smallest storeId. */
export const chooseStoreForNewProduct = (stores: readonly StoreStockTotal[]): string | undefined =>
  [...stores].sort((a, b) => a.totalOnHand - b.totalOnHand || compareIds(a.storeId, b.storeId))[0]?.storeId;

/** Ids compare by code unit, the same order PostgreSQL's "C" collation and SQLite use. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
