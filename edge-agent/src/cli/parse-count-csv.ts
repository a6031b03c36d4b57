import { parse, type CsvError } from "csv-parse/sync";
import { IDENTIFIER_PATTERN, MAX_QUANTITY } from "@inventory/shared";
import { countColumnsOf, NO_COUNT_COLUMN, type CountColumns } from "./count-csv-columns.js";

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

const DELIMITERS = [",", ";", "\t"] as const;
type Delimiter = (typeof DELIMITERS)[number];
const DELIMITER_NAMES: Record<Delimiter, string> = { ",": "a comma", ";": "a semicolon", "\t": "a tab" };

const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}...` : text);

const checkCount = (value: string): number | string => {
  if (value === "") return "the count is missing";
  if (/^-\d+$/.test(value)) return `the count ${value} is negative`;
  if (/^\d+[.,]\d*$/.test(value)) return `the count ${value} is not a whole number`;
  if (!/^\d+$/.test(value)) return `the count '${shown(value)}' is not a number`;
  const n = Number(value);
  return n > MAX_QUANTITY ? `the count ${value} is above ${MAX_QUANTITY}` : n;
};

const isContent = (line: string) => line.trim() !== "" && !line.trimStart().startsWith("#");

/** The delimiter that occurs most, outside quotes, on the first line with content; a comma when none does. */
const delimiterOf = (text: string): Delimiter => {
  const first = (text.split("\n").find(isContent) ?? "").replace(/"[^"]*"/g, "");
  const counts = DELIMITERS.map((d) => first.split(d).length - 1);
  const most = Math.max(...counts);
  return most === 0 ? "," : DELIMITERS[counts.indexOf(most)]!;
};

const csvErrorMessage = (err: CsvError) =>
  err.code === "CSV_QUOTE_NOT_CLOSED"
    ? "a quoted field is not closed"
    : err.code === "CSV_INVALID_CLOSING_QUOTE" || err.code === "INVALID_OPENING_QUOTE"
      ? 'a quote inside a field must be doubled ("") and the field quoted'
      : err.message;

interface Row {
  readonly line: number;
  readonly fields: string[];
}

/** The file's rows with the line each starts on; reading stops at the first row that is not valid CSV. */
const readRows = (text: string, delimiter: Delimiter): { rows: Row[]; broken?: CsvProblem } => {
  let broken: CsvProblem | undefined;
  let lastGoodLine = 0;
  const lines = text.split("\n");
  const records = parse(text, {
    delimiter,
    info: true,
    raw: true,
    trim: true,
    comment: "#",
    comment_no_infix: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_record: (record, context) => {
      if (broken === undefined) lastGoodLine = Number(context.lines);
      return record;
    },
    on_skip: (err) => {
      if (broken) return;
      // The parser notices an unclosed quote only at the end of the file: the row starts after the last good one.
      const start = lines.findIndex((l, i) => i >= lastGoodLine && isContent(l)) + 1;
      const why = err ? csvErrorMessage(err) : "the line is not valid CSV";
      broken = { line: start > 0 ? start : Number(err?.lines ?? 1), message: `${why}; the lines after it were not read` };
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const rows = records
    // A quoted field with line breaks spans several lines: the row is named by the line it starts on.
    .map(({ record, info }) => ({ line: info.lines - record.reduce((n, f) => n + f.split("\n").length - 1, 0), fields: record }))
    .filter((row) => row.fields.some((f) => f !== "") && (broken === undefined || row.line < broken.line));
  return broken ? { rows, broken } : { rows };
};

/**
 * Reads a cycle count: `sku,onHand` per line, or any columns under a header that names them (a POS export's
 * `sku,name,onHand`). Columns are separated by commas, semicolons or tabs (whichever the first line uses);
 * fields may be quoted, with `""` for a quote inside. Blank lines and lines starting with `#` are ignored; a
 * trailing empty column (as spreadsheets write) is allowed. Every bad line is reported with its 1-based number,
 * and a SKU counted twice is a problem, since the count would be ambiguous.
 */
export const parseCountCsv = (input: string): ParsedCounts => {
  const counts: CountLine[] = [];
  const problems: CsvProblem[] = [];
  const firstLineOf = new Map<string, number>();
  const text = input.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const delimiter = delimiterOf(text);
  const { rows, broken } = readRows(text, delimiter);
  let columns: CountColumns | typeof NO_COUNT_COLUMN | undefined;
  rows.forEach(({ line, fields }, index) => {
    while (fields.length > 2 && fields[fields.length - 1] === "") fields.pop();
    const content = fields.join(delimiter);
    if (index === 0) {
      columns = countColumnsOf(fields);
      if (columns === NO_COUNT_COLUMN) {
        problems.push({ line, message: `the header '${shown(content)}' names no count column: call one onHand (or count, qty)` });
        return;
      }
      if (columns !== undefined) return;
    }
    if (columns === NO_COUNT_COLUMN) return;
    const width = columns?.width ?? 2;
    if (fields.length !== width) {
      const expected = columns ? `${width} columns as the header names,` : "2 columns, sku,onHand,";
      const other = DELIMITERS.find((d) => d !== delimiter && content.includes(d));
      const hint = other ? `; separate the columns with ${DELIMITER_NAMES[delimiter]}` : "";
      problems.push({ line, message: `expected ${expected} found ${fields.length} in '${shown(content)}'${hint}` });
      return;
    }
    const sku = fields[columns?.sku ?? 0]!;
    const value = fields[columns?.onHand ?? 1]!;
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
  if (broken) problems.push(broken);
  return { counts, problems };
};
