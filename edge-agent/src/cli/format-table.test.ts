import { describe, expect, it } from "vitest";
import { formatTable, signed } from "./format-table.js";

describe("formatTable", () => {
  it("given text and numbers, then text aligns left, numbers right, two spaces apart, no trailing spaces", () => {
    const table = formatTable(
      [
        { header: "sku", value: (r: { sku: string; n: number; note: string }) => r.sku },
        { header: "onHand", value: (r) => r.n },
        { header: "note", value: (r) => r.note },
      ],
      [
        { sku: "A1", n: 5, note: "" },
        { sku: "LONG-SKU", n: 1200, note: "x" },
      ],
    );
    expect(table.split("\n")).toEqual(["sku       onHand  note", "A1             5  -", "LONG-SKU    1200  x"]);
  });

  it("given signed deltas and empty cells, then the column still aligns right", () => {
    const table = formatTable([{ header: "delta", value: (r: { d: number | null }) => signed(r.d) }], [{ d: 3 }, { d: -12 }, { d: null }]);
    expect(table.split("\n")).toEqual(["delta", "   +3", "  -12", "    -"]);
  });

  it("given an explicit alignment, then it wins", () => {
    expect(formatTable([{ header: "id", value: (r: { id: number }) => r.id, align: "left" }], [{ id: 7 }])).toBe("id\n7");
  });

  it("given no rows, then only the header is shown", () => {
    expect(formatTable([{ header: "sku", value: () => "" }], [])).toBe("sku");
  });
});

describe("signed", () => {
  it("shows a plus sign on increases only", () => {
    expect([signed(2), signed(0), signed(-2), signed(null)]).toEqual(["+2", "0", "-2", null]);
  });
});
