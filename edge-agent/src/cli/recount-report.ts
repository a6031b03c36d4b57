import { formatTable, signed } from "./format-table.js";
import type { DiffLine } from "./recount-diff.js";
import type { LineResult, RecountSummary } from "./recount-outcome.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const shellWord = (word: string) => (/^[A-Za-z0-9._/:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** The command that repeats this count exactly: same store, same count reference, so the same keys. */
export const rerunCommand = (file: string, storeId: string, countRef: string): string =>
  `inventory recount ${file === "-" ? "- (the same counts on stdin)" : shellWord(file)} --store ${shellWord(storeId)} --count-ref ${shellWord(countRef)}`;

/**
 * What a count would change, before anything is sent: the lines that differ from the replica (and SKUs it does
 * not know), then how many are unchanged.
 */
export const diffReport = (storeId: string, countRef: string, diff: readonly DiffLine[]): string => {
  const shown = diff.filter((d) => d.status !== "unchanged");
  const changes = diff.filter((d) => d.status === "change").length;
  const unknown = diff.filter((d) => d.status === "unknown-sku").length;
  const lines = [`Recount of store ${storeId}, count reference ${countRef}: ${plural(diff.length, "line")} counted.`];
  if (shown.length > 0) {
    lines.push(
      "",
      formatTable(
        [
          { header: "line", value: (d: DiffLine) => d.line },
          { header: "sku", value: (d) => d.sku },
          { header: "current", value: (d) => d.current },
          { header: "counted", value: (d) => d.counted },
          { header: "delta", value: (d) => signed(d.delta), align: "right" },
          ...(unknown > 0
            ? [{ header: "note", value: (d: DiffLine) => (d.status === "unknown-sku" ? "SKU unknown to this store's replica" : " ") }]
            : []),
        ],
        shown,
      ),
      "",
    );
  }
  const parts = [
    plural(changes, "change"),
    ...(unknown ? [`${plural(unknown, "SKU")} not known here`] : []),
    `${diff.length - changes - unknown} unchanged`,
  ];
  lines.push(`${parts.join(", ")}.`);
  return lines.join("\n") + "\n";
};

/** The end of a count: the refused lines with their reasons, then one line of totals. */
export const resultReport = (results: readonly LineResult[], summary: RecountSummary): string => {
  const refused = results.filter((r) => r.outcome.status === "refused");
  const lines: string[] = [];
  if (refused.length > 0) {
    lines.push(
      "Refused:",
      formatTable(
        [
          { header: "line", value: (r: LineResult) => r.line },
          { header: "sku", value: (r) => r.sku },
          { header: "counted", value: (r) => r.counted },
          { header: "code", value: (r) => (r.outcome.status === "refused" ? r.outcome.code : "") },
          { header: "reason", value: (r) => (r.outcome.status === "refused" ? r.outcome.message : "") },
        ],
        refused,
      ),
      "",
    );
  }
  lines.push(
    `Applied ${summary.applied}, already applied earlier ${summary.alreadyApplied}, unchanged ${summary.unchanged}, refused ${summary.refused}, not sent ${summary.notSent}.`,
  );
  return lines.join("\n") + "\n";
};
