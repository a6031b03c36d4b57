import { itemKey, parseItemKey } from "./identifiers.js";
import type { StockItemState } from "./stock-item.js";

/** One stock item's state as the chain view carries it, as of `version`. */
export type ChainViewItem = StockItemState;

/** 9999-12-31T23:59:59.999Z: later moments have no four-digit-year ISO form. */
const LAST_ISO_MS = 253_402_300_799_999;

const isCount = (v: unknown): v is number => Number.isSafeInteger(v);

/**
 * The value of an item record: `[onHand, reserved, inTransit, version, lastEventAt as epoch ms]`, no headers.
 * Store and SKU are the key's (`{storeId}:{sku}`) and available is onHand − reserved, so neither is repeated:
 * about 25 bytes against the ~140 of the object form published before it (`chainViewRecordSchema`). Being an
 * array is what tells a reader it is this form. Checked by hand, not by a schema: a load reads a million of them.
 */
export type ChainViewItemValue = readonly [onHand: number, reserved: number, inTransit: number, version: number, atMs: number];

export const isChainViewItemValue = (v: unknown): v is ChainViewItemValue =>
  Array.isArray(v) &&
  v.length === 5 &&
  isCount(v[0]) &&
  isCount(v[1]) &&
  isCount(v[2]) &&
  isCount(v[3]) &&
  v[3] >= 1 &&
  isCount(v[4]) &&
  v[4] >= 0 &&
  v[4] <= LAST_ISO_MS;

/** The key and value of an item's chain-view record. */
export const encodeChainViewItem = (item: ChainViewItem): { key: string; value: string } => ({
  key: itemKey(item.storeId, item.sku),
  value: JSON.stringify([item.onHand, item.reserved, item.inTransit, item.version, Date.parse(item.lastEventAt)]),
});

/** The last moment written out, and its ISO form: a load's records mostly share the moment of one snapshot. */
let lastAtMs = Number.NaN;
let lastAtIso = "";
const isoOf = (ms: number): string => {
  if (ms !== lastAtMs) {
    lastAtIso = new Date(ms).toISOString();
    lastAtMs = ms;
  }
  return lastAtIso;
};

/** The item a compact record names, or undefined when its key names no item or its value is not the compact form. */
export const decodeChainViewItem = (key: string | null, value: unknown): ChainViewItem | undefined => {
  const ids = key === null ? undefined : parseItemKey(key);
  if (ids === undefined || !isChainViewItemValue(value)) return undefined;
  return {
    storeId: ids.storeId,
    sku: ids.sku,
    onHand: value[0],
    reserved: value[1],
    inTransit: value[2],
    version: value[3],
    lastEventAt: isoOf(value[4]),
  };
};
