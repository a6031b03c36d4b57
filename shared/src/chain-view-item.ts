import { z } from "zod";
import { itemKey, parseItemKey } from "./identifiers.js";
import type { StockItemState } from "./stock-item.js";

/** One stock item's state as the chain view carries it, as of `version`. */
export type ChainViewItem = StockItemState;

const count = z.number().int();
/** 9999-12-31T23:59:59.999Z: later moments have no four-digit-year ISO form. */
const LAST_ISO_MS = 253_402_300_799_999;

/**
 * The value of an item record: `[onHand, reserved, inTransit, version, lastEventAt as epoch ms]`, no headers.
 * Store and SKU are the key's (`{storeId}:{sku}`) and available is onHand − reserved, so neither is repeated:
 * about 25 bytes against the ~140 of the object form published before it (`chainViewRecordSchema`). Being an
 * array is what tells a reader it is this form.
 */
export const chainViewItemValueSchema = z.tuple([count, count, count, count.min(1), z.number().int().min(0).max(LAST_ISO_MS)]);

/** The key and value of an item's chain-view record. */
export const encodeChainViewItem = (item: ChainViewItem): { key: string; value: string } => ({
  key: itemKey(item.storeId, item.sku),
  value: JSON.stringify([item.onHand, item.reserved, item.inTransit, item.version, Date.parse(item.lastEventAt)]),
});

/** The item a compact record names, or undefined when its key names no item or its value is not the compact form. */
export const decodeChainViewItem = (key: string | null, value: unknown): ChainViewItem | undefined => {
  const ids = key === null ? undefined : parseItemKey(key);
  const parsed = chainViewItemValueSchema.safeParse(value);
  if (ids === undefined || !parsed.success) return undefined;
  const [onHand, reserved, inTransit, version, at] = parsed.data;
  return { ...ids, onHand, reserved, inTransit, version, lastEventAt: new Date(at).toISOString() };
};
