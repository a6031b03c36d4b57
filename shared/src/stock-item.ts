/** A stock item is one SKU at one store. available = onHand − reserved. */
export interface StockItem {
  readonly storeId: string;
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  /** Units dispatched to this store by a transfer and not yet received: counted nowhere else. */
  readonly inTransit: number;
  /** Starts at 0 before the first event; +1 on every change. */
  readonly version: number;
}

/** A stock item as of its last event: what a replica holds and the chain view carries. */
export interface StockItemState extends StockItem {
  /** When the change this state follows happened (ISO 8601, UTC, milliseconds). */
  readonly lastEventAt: string;
}

export const available = (item: Pick<StockItem, "onHand" | "reserved">): number => item.onHand - item.reserved;

/**
 * The units that can still be sold or held: available, but never below zero. A recount under the reserved
 * units leaves available negative (the shortfall); to a buyer that is simply nothing to sell.
 */
export const sellable = (item: Pick<StockItem, "onHand" | "reserved">): number => Math.max(available(item), 0);

/** A (store, SKU) pair that has never held stock starts here. */
export const emptyStockItem = (storeId: string, sku: string): StockItem => ({
  storeId,
  sku,
  onHand: 0,
  reserved: 0,
  inTransit: 0,
  version: 0,
});

export const STOCK_ITEM_AGGREGATE = "stock-item";
