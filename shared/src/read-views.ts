import { sellable } from "./stock-item.js";

/** One stock item as the read API shows it. */
export interface AvailabilityView {
  sku: string;
  storeId: string;
  onHand: number;
  reserved: number;
  available: number;
  /** Units on their way to this store from another. */
  inTransit: number;
  version: number;
  lastEventAt: string;
}

export interface AvailabilityResponse {
  sku: string;
  /** Units that can be sold chain-wide: a store whose recount fell below its holds contributes 0, not its shortfall. */
  totalAvailable: number;
  perStore: AvailabilityView[];
}

export interface ProductTotalView {
  sku: string;
  name: string;
  totalOnHand: number;
  totalReserved: number;
  totalAvailable: number;
  totalInTransit: number;
}

export interface StoreView {
  storeId: string;
  name: string;
  latencyMs: number | null;
}

export const availabilityResponse = (sku: string, perStore: AvailabilityView[]): AvailabilityResponse => ({
  sku,
  totalAvailable: perStore.reduce((sum, row) => sum + sellable(row), 0),
  perStore,
});
