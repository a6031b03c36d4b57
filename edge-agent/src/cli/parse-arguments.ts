import { IDENTIFIER_PATTERN, MAX_QUANTITY } from "@inventory/shared";
import { cliFailure, isCliFailure, type CliFailure } from "./cli-failure.js";

/** A whole number within bounds, from a command-line argument; `what` names it in the message. */
export const parseWholeNumber = (value: string, what: string, min: number, max: number): number | CliFailure => {
  const text = value.trim();
  if (!/^[+-]?\d+$/.test(text)) return cliFailure("usage", `${what} must be a whole number, not '${value}'`);
  const n = Number(text);
  if (n < min || n > max) return cliFailure("usage", `${what} must be between ${min} and ${max}, not ${n}`);
  return n;
};

/** A store id, SKU or reservation id as the API accepts them. */
export const parseIdentifier = (value: string, what: string): string | CliFailure =>
  IDENTIFIER_PATTERN.test(value) ? value : cliFailure("usage", `'${value}' is not a valid ${what} (1-64 letters, digits, '.', '_' or '-')`);

export interface SkuQty {
  readonly sku: string;
  readonly qty: number;
}

/**
 * Lines given as `SKU:QTY` arguments (`A1:2 B2:1`); a SKU cannot contain ':' so the split is unambiguous.
 * @example parseSkuQtyLines(["A1:2"]) // [{ sku: "A1", qty: 2 }]
 */
export const parseSkuQtyLines = (args: readonly string[]): SkuQty[] | CliFailure => {
  if (args.length === 0) return cliFailure("usage", "name at least one line as SKU:QTY, e.g. A1:2");
  const lines: SkuQty[] = [];
  for (const arg of args) {
    const at = arg.lastIndexOf(":");
    if (at <= 0) return cliFailure("usage", `'${arg}' is not SKU:QTY, e.g. A1:2`);
    const sku = parseIdentifier(arg.slice(0, at), "SKU");
    if (isCliFailure(sku)) return sku;
    const qty = parseWholeNumber(arg.slice(at + 1), `the quantity of ${sku}`, 1, MAX_QUANTITY);
    if (isCliFailure(qty)) return qty;
    lines.push({ sku, qty });
  }
  return lines;
};
