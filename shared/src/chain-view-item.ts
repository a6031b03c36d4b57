import { itemKey, parseItemKey } from "./identifiers.js";
import type { StockItemState } from "./stock-item.js";

/** One stock item's state as the chain view carries it, as of `version`. */
export type ChainViewItem = StockItemState;

/** 9999-12-31T23:59:59.999Z: later moments have no four-digit-year ISO form. */
const LAST_ISO_MS = 253_402_300_799_999;

const isCount = (v: unknown): v is number => Number.isSafeInteger(v);

/**
 * An item record's state as five numbers: `[onHand, reserved, inTransit, version, lastEventAt as epoch ms]`.
 * Store and SKU are the key's (`{storeId}:{sku}`) and available is onHand − reserved, so neither is repeated.
 * Checked by hand, not by a schema: a load reads a million of them.
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

/**
 * The first byte of an item record's value as published now: the five numbers as LEB128 varints (the first three
 * zigzag, so that a negative count stays short), about 11 bytes with no headers. No JSON text starts with it, so
 * it also tells the forms apart: before it the five numbers were a JSON array (~25 bytes), and before that an
 * object (~140, `chainViewRecordSchema`); a compacted topic keeps such records for every item that has not changed
 * since, so all three are read.
 */
const BINARY_ITEM = 0x01;
const OPEN_BRACKET = 0x5b;
/** The most bytes a varint of a safe integer takes (7 bits each). */
const MAX_VARINT_BYTES = 8;

const zigzag = (n: number): number => (n < 0 ? -2 * n - 1 : 2 * n);
const unzigzag = (n: number): number => (n % 2 === 1 ? -(n + 1) / 2 : n / 2);

/** Arithmetic, not bitwise: the moments and versions exceed 32 bits. */
const writeVarint = (out: number[], n: number): void => {
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
};

/** The five numbers of a binary value, or undefined when it is not exactly five varints after its first byte. */
const readBinaryValue = (value: Uint8Array): number[] | undefined => {
  const numbers: number[] = [];
  let at = 1;
  while (numbers.length < 5) {
    let n = 0;
    let scale = 1;
    let byte: number;
    let read = 0;
    do {
      if (at >= value.length || read === MAX_VARINT_BYTES) return undefined;
      byte = value[at]!;
      at += 1;
      read += 1;
      n += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte & 0x80);
    numbers.push(n);
  }
  if (at !== value.length) return undefined;
  numbers[0] = unzigzag(numbers[0]!);
  numbers[1] = unzigzag(numbers[1]!);
  numbers[2] = unzigzag(numbers[2]!);
  return numbers;
};

/** The five numbers of an item record's value in either compact form, or undefined for anything else. */
const itemValueOf = (value: Uint8Array): ChainViewItemValue | undefined => {
  let numbers: unknown;
  if (value[0] === BINARY_ITEM) numbers = readBinaryValue(value);
  else if (value[0] === OPEN_BRACKET) {
    try {
      numbers = JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("latin1"));
    } catch {
      return undefined;
    }
  }
  return isChainViewItemValue(numbers) ? numbers : undefined;
};

/** The key and value of an item's chain-view record. */
export const encodeChainViewItem = (item: ChainViewItem): { key: string; value: Buffer } => {
  const bytes = [BINARY_ITEM];
  writeVarint(bytes, zigzag(item.onHand));
  writeVarint(bytes, zigzag(item.reserved));
  writeVarint(bytes, zigzag(item.inTransit));
  writeVarint(bytes, item.version);
  writeVarint(bytes, Date.parse(item.lastEventAt));
  return { key: itemKey(item.storeId, item.sku), value: Buffer.from(bytes) };
};

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

/**
 * The item a record names, from its key and value bytes in either compact form, or undefined when its key names
 * no item or its value is neither (a catalogue or position record, an item in the object form: see
 * `chainViewEntrySchema`).
 */
export const decodeChainViewItem = (key: string | null, value: Uint8Array | null): ChainViewItem | undefined => {
  const ids = key === null ? undefined : parseItemKey(key);
  const numbers = ids === undefined || value === null ? undefined : itemValueOf(value);
  if (ids === undefined || numbers === undefined) return undefined;
  return {
    storeId: ids.storeId,
    sku: ids.sku,
    onHand: numbers[0],
    reserved: numbers[1],
    inTransit: numbers[2],
    version: numbers[3],
    lastEventAt: isoOf(numbers[4]),
  };
};
