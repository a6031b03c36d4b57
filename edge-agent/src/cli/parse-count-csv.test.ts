import { describe, expect, it } from "vitest";
import { parseCountCsv } from "./parse-count-csv.js";

describe("parseCountCsv", () => {
  it("given a header, blank lines and comments, then it keeps only the counts, with their line numbers", () => {
    const text = "sku,onHand\n\n# aisle 7\nA1,5\n  B2 , 0  \n\r\n#C3,1\n";
    expect(parseCountCsv(text)).toEqual({
      counts: [
        { line: 4, sku: "A1", onHand: 5 },
        { line: 5, sku: "B2", onHand: 0 },
      ],
      problems: [],
    });
  });

  it("given no header, CRLF line ends, a BOM, quotes and a trailing empty column, then every line is a count", () => {
    const text = '\uFEFFA1,5\r\n"B2","7",\r\nC3,12';
    expect(parseCountCsv(text).counts).toEqual([
      { line: 1, sku: "A1", onHand: 5 },
      { line: 2, sku: "B2", onHand: 7 },
      { line: 3, sku: "C3", onHand: 12 },
    ]);
  });

  it("given a SKU called 'sku' on the first line with a number, then it is a count, not a header", () => {
    expect(parseCountCsv("sku,3\n").counts).toEqual([{ line: 1, sku: "sku", onHand: 3 }]);
  });

  it("given a header after the first content line, then it is a bad line", () => {
    const { problems } = parseCountCsv("A1,1\nsku,onHand\n");
    expect(problems).toEqual([{ line: 2, message: "the count 'onHand' is not a number (SKU sku)" }]);
  });

  it.each([
    ["A1;5", /expected 2 columns.*found 1.*separate the columns with a comma/],
    ["A1", /expected 2 columns, sku,onHand, found 1/],
    ["A1,5,x", /found 3/],
    [",5", /the SKU is missing/],
    ["A 1,5", /'A 1' is not a SKU/],
    ["A1,", /the count is missing/],
    ["A1,-2", /the count -2 is negative \(SKU A1\)/],
    ["A1,2.5", /the count 2.5 is not a whole number/],
    ["A1,five", /the count 'five' is not a number/],
    ["A1,1000000001", /above 1000000000/],
  ])("given the line '%s', then it is reported with its line number", (bad, message) => {
    const { counts, problems } = parseCountCsv(`# header comment\nB2,1\n${bad}\n`);
    expect(counts).toEqual([{ line: 2, sku: "B2", onHand: 1 }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(3);
    expect(problems[0]!.message).toMatch(message);
  });

  it("given a SKU counted twice, then the second line is a problem naming the first", () => {
    expect(parseCountCsv("A1,1\nB2,2\nA1,1\n").problems).toEqual([
      { line: 3, message: "SKU A1 is counted twice (also on line 1); add the counts up into one line" },
    ]);
  });

  it("given several bad lines, then every one is reported", () => {
    expect(parseCountCsv("A1,x\nB2,1\nC3,-1\n").problems.map((p) => p.line)).toEqual([1, 3]);
  });

  it("given only comments and blank lines, then there are no counts and no problems", () => {
    expect(parseCountCsv("# nothing\n\n")).toEqual({ counts: [], problems: [] });
  });
});
