import { IDENTIFIER_PATTERN, MAX_QUANTITY } from "@inventory/shared";

/** One counted SKU, with the line of the file it came from. */
export interface CountLine {
  readonly line: number;
  readonly sku: string;
  readonly onHand: number;
}

/** A line that could not be read, named by its number so staff can find it in the file. */
export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedCounts {
  readonly counts: readonly CountLine[];
  readonly problems: readonly CsvProblem[];
}

const unquote = (field: string) => {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
};

const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}...` : text);

const checkCount = (value: string): number | string => {
  if (value === "") return "the count is missing";
  if (/^-\d+$/.test(value)) return `the count ${value} is negative`;
  if (/^\d+[.,]\d*$/.test(value)) return `the count ${value} is not a whole number`;
  if (!/^\d+$/.test(value)) return `the count '${shown(value)}' is not a number`;
  const n = Number(value);
  return n > MAX_QUANTITY ? `the count ${value} is above ${MAX_QUANTITY}` : n;
};

const isHeader = (fields: string[]) => fields[0]!.toLowerCase() === "sku" && !/^-?\d+$/.test(fields[1] ?? "");

/**
 * Reads a cycle count: `sku,onHand` per line. The header is optional; blank lines and lines starting with `#`
 * are ignored; fields may be quoted; a trailing empty column (as spreadsheets write) is allowed. Every bad line
 * is reported with its 1-based number, and a SKU counted twice is a problem, since the count would be ambiguous.
 */
export const parseCountCsv = (text: string): ParsedCounts => {
  const counts: CountLine[] = [];
  const problems: CsvProblem[] = [];
  const firstLineOf = new Map<string, number>();
  let sawContent = false;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === "" || content.startsWith("#")) return;
    const fields = content.split(",").map(unquote);
    while (fields.length > 2 && fields[fields.length - 1] === "") fields.pop();
    const first = !sawContent;
    sawContent = true;
    if (first && isHeader(fields)) return;
    if (fields.length !== 2) {
      const hint = content.includes(";") || content.includes("\t") ? "; separate the columns with a comma" : "";
      problems.push({ line, message: `expected 2 columns, sku,onHand, found ${fields.length} in '${shown(content)}'${hint}` });
      return;
    }
    const [sku, value] = fields as [string, string];
    if (sku === "") {
      problems.push({ line, message: "the SKU is missing" });
      return;
    }
    if (!IDENTIFIER_PATTERN.test(sku)) {
      problems.push({ line, message: `'${shown(sku)}' is not a SKU (1-64 letters, digits, '.', '_' or '-')` });
      return;
    }
    const onHand = checkCount(value);
    if (typeof onHand === "string") {
      problems.push({ line, message: `${onHand} (SKU ${sku})` });
      return;
    }
    const earlier = firstLineOf.get(sku);
    if (earlier !== undefined) {
      problems.push({ line, message: `SKU ${sku} is counted twice (also on line ${earlier}); add the counts up into one line` });
      return;
    }
    firstLineOf.set(sku, line);
    counts.push({ line, sku, onHand });
  });
  return { counts, problems };
};
