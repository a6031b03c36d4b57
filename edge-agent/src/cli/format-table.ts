export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | null | undefined;
  /** By default a column whose cells are all whole numbers (or empty) aligns right, any other left. */
  readonly align?: "left" | "right";
}

const EMPTY = "-";
const cell = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? EMPTY : String(v));
const width = (s: string) => [...s].length;
const numeric = (column: readonly string[]) => column.some((v) => v !== EMPTY) && column.every((v) => v === EMPTY || /^[+-]?\d+$/.test(v));

/**
 * An aligned plain-text table: a header row, two spaces between columns, no trailing spaces; empty cells show `-`.
 * @example formatTable([{ header: "sku", value: (r) => r.sku }, { header: "onHand", value: (r) => r.n }], [{ sku: "A1", n: 5 }])
 * // "sku  onHand\nA1        5"
 */
export const formatTable = <T>(columns: readonly Column<T>[], rows: readonly T[]): string => {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
  const right = columns.map((c, i) => (c.align ? c.align === "right" : numeric(cells.map((r) => r[i]!))));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const render = (values: readonly string[]) =>
    values
      .map((v, i) => {
        const pad = " ".repeat(widths[i]! - width(v));
        return right[i] ? pad + v : v + pad;
      })
      .join("  ")
      .trimEnd();
  return [render(columns.map((c) => c.header)), ...cells.map(render)].join("\n");
};

/** A signed number, as deltas are shown: +3, -2, 0. */
export const signed = (n: number | null): string | null => (n === null ? null : n > 0 ? `+${n}` : String(n));
