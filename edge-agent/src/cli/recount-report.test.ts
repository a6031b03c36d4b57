import { describe, expect, it } from "vitest";
import { diffReport, rerunCommand, resultReport } from "./recount-report.js";
import type { DiffLine } from "./recount-diff.js";
import type { LineResult } from "./recount-outcome.js";

const diff: DiffLine[] = [
  { line: 2, sku: "A1", counted: 7, current: 10, delta: -3, status: "change" },
  { line: 3, sku: "B2", counted: 4, current: 4, delta: 0, status: "unchanged" },
  { line: 4, sku: "ZZ", counted: 1, current: null, delta: null, status: "unknown-sku" },
];

describe("diffReport", () => {
  it("given changes, unchanged and unknown lines, then it lists the changes and unknowns and counts the rest", () => {
    expect(diffReport("S1", "S1-2025-01-31-abcd1234", diff)).toBe(
      [
        "Recount of store S1, count reference S1-2025-01-31-abcd1234: 3 lines counted.",
        "",
        "line  sku  current  counted  delta  note",
        "   2  A1        10        7     -3",
        "   4  ZZ         -        1      -  SKU unknown to this store's replica",
        "",
        "1 change, 1 SKU not known here, 1 unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("given nothing different, then no table", () => {
    expect(diffReport("S1", "r", [diff[1]!])).toBe("Recount of store S1, count reference r: 1 line counted.\n0 changes, 1 unchanged.\n");
  });
});

describe("resultReport", () => {
  it("given a refused line, then its reason is listed before the totals", () => {
    const results: LineResult[] = [
      { ...diff[0]!, outcome: { status: "applied", onHand: 7 } },
      { ...diff[1]!, outcome: { status: "unchanged" } },
      { ...diff[2]!, outcome: { status: "refused", code: "NOT_FOUND", message: "unknown sku ZZ" } },
    ];
    expect(resultReport(results, { applied: 1, alreadyApplied: 0, unchanged: 1, refused: 1, notSent: 0 })).toBe(
      [
        "Refused:",
        "line  sku  counted  code       reason",
        "   4  ZZ         1  NOT_FOUND  unknown sku ZZ",
        "",
        "Applied 1, already applied earlier 0, unchanged 1, refused 1, not sent 0.",
        "",
      ].join("\n"),
    );
  });
});

describe("rerunCommand", () => {
  it("quotes what the shell would split", () => {
    expect(rerunCommand("my counts.csv", "S1", "aisle 7")).toBe("inventory recount 'my counts.csv' --store S1 --count-ref 'aisle 7'");
    expect(rerunCommand("c.csv", "S1", "S1-2025-01-31-abcd1234")).toBe(
      "inventory recount c.csv --store S1 --count-ref S1-2025-01-31-abcd1234",
    );
  });
});
