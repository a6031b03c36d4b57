/** Where a count file's SKU and count are, as its header names them. */
export interface CountColumns {
  readonly sku: number;
  readonly onHand: number;
  /** How many columns every row has. */
  readonly width: number;
}

/** A header that names a SKU column but no count column among several. */
export const NO_COUNT_COLUMN = "no count column" as const;

const normalized = (name: string) => name.toLowerCase().replace(/[\s_-]/g, "");
const COUNT_NAMES = new Set(["onhand", "count", "counted", "qty", "quantity"]);

/**
 * The columns a first row names, or undefined when it is not a header but a count (`sku,3` counts a SKU
 * called "sku"). A header names a `sku` column; the count column is `onHand` (or `on_hand`, `count`, `qty`,
 * `quantity`), or with two columns `sku,<anything>` the second one, as before headers could name columns.
 */
export const countColumnsOf = (fields: readonly string[]): CountColumns | typeof NO_COUNT_COLUMN | undefined => {
  const names = fields.map(normalized);
  const sku = names.indexOf("sku");
  if (sku < 0 || fields.some((f) => /^-?\d+$/.test(f))) return undefined;
  const named = names.findIndex((n) => COUNT_NAMES.has(n));
  const onHand = named >= 0 ? named : fields.length === 2 && sku === 0 ? 1 : -1;
  return onHand < 0 ? NO_COUNT_COLUMN : { sku, onHand, width: fields.length };
};
