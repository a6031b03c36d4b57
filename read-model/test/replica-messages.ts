import type { ReadModelChange } from "@inventory/shared";
import type { AppliedMessage } from "../src/replica-store.js";

/** The moment every change built here happened. */
export const at = "2026-01-02T03:04:05.678Z";

/** A stock row change with nothing reserved or in transit. */
export const stock = (sku: string, storeId: string, onHand: number, version: number): ReadModelChange => ({
  kind: "stock-item",
  sku,
  storeId,
  onHand,
  reserved: 0,
  inTransit: 0,
  version,
  lastEventAt: at,
});

/** A message at `offset` carrying `changes`. */
export const message = (offset: number, ...changes: ReadModelChange[]): AppliedMessage => ({ offset, changes, occurredAt: at });
