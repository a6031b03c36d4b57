import { describe, expect, it } from "vitest";
import { diffCounts, linesToSend, type CurrentStock } from "./recount-diff.js";

const current = new Map<string, CurrentStock>([
  ["A1", { kind: "known", onHand: 10 }],
  ["B2", { kind: "known", onHand: 4 }],
  ["N0", { kind: "known", onHand: 0 }],
  ["ZZ", { kind: "unknown-sku" }],
]);

describe("diffCounts", () => {
  it("given counts above, equal to and below the replica, then each line has its delta and status, in file order", () => {
    const diff = diffCounts(
      [
        { line: 2, sku: "A1", onHand: 7 },
        { line: 3, sku: "B2", onHand: 4 },
        { line: 5, sku: "N0", onHand: 3 },
      ],
      current,
    );
    expect(diff).toEqual([
      { line: 2, sku: "A1", counted: 7, current: 10, delta: -3, status: "change" },
      { line: 3, sku: "B2", counted: 4, current: 4, delta: 0, status: "unchanged" },
      { line: 5, sku: "N0", counted: 3, current: 0, delta: 3, status: "change" },
    ]);
  });

  it("given a SKU the replica does not know, or one it was not asked about, then it is unknown with no current value", () => {
    const diff = diffCounts(
      [
        { line: 1, sku: "ZZ", onHand: 1 },
        { line: 2, sku: "QQ", onHand: 0 },
      ],
      current,
    );
    expect(diff.map((d) => [d.status, d.current, d.delta])).toEqual([
      ["unknown-sku", null, null],
      ["unknown-sku", null, null],
    ]);
  });
});

describe("linesToSend", () => {
  it("given changes, unchanged and unknown lines, then only the unchanged ones stay behind", () => {
    const diff = diffCounts(
      [
        { line: 1, sku: "A1", onHand: 10 },
        { line: 2, sku: "B2", onHand: 5 },
        { line: 3, sku: "ZZ", onHand: 1 },
      ],
      current,
    );
    expect(linesToSend(diff).map((d) => d.sku)).toEqual(["B2", "ZZ"]);
  });
});
