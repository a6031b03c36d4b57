import type { CountLine } from "./parse-count-csv.js";

/** What the store's replica says about a counted SKU before anything is sent. */
export type CurrentStock = { readonly kind: "known"; readonly onHand: number } | { readonly kind: "unknown-sku" };

export type DiffStatus = "change" | "unchanged" | "unknown-sku";

/** One line of the count against the replica: `current` and `delta` are null for a SKU the replica does not know. */
export interface DiffLine {
  readonly line: number;
  readonly sku: string;
  readonly counted: number;
  readonly current: number | null;
  readonly delta: number | null;
  readonly status: DiffStatus;
}

/** Compares each counted line with the replica's onHand, in file order. A SKU missing from `current` is unknown. */
export const diffCounts = (counts: readonly CountLine[], current: ReadonlyMap<string, CurrentStock>): DiffLine[] =>
  counts.map(({ line, sku, onHand }) => {
    const stock = current.get(sku);
    if (stock === undefined || stock.kind === "unknown-sku") {
      return { line, sku, counted: onHand, current: null, delta: null, status: "unknown-sku" };
    }
    const delta = onHand - stock.onHand;
    return { line, sku, counted: onHand, current: stock.onHand, delta, status: delta === 0 ? "unchanged" : "change" };
  });

/**
 * The lines worth sending one by one: changes, and SKUs the replica does not know (the hub has the last word on
 * those). A line equal to the replica is not sent, so a count with nothing new changes nothing and emits no event.
 */
export const linesToSend = (diff: readonly DiffLine[]): DiffLine[] => diff.filter((d) => d.status !== "unchanged");
