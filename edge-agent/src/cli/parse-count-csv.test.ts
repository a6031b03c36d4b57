import { describe, expect, it } from "vitest";
import { decodeText } from "./decode-text.js";
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

  it("given quoted fields with commas and doubled quotes, then the fields are read whole", () => {
    const text = 'sku,name,onHand\nA1,"Shirt, blue",5\nB2,"The ""big"" mug",2\n"C3","Plate",1\n';
    expect(parseCountCsv(text)).toEqual({
      counts: [
        { line: 2, sku: "A1", onHand: 5 },
        { line: 3, sku: "B2", onHand: 2 },
        { line: 4, sku: "C3", onHand: 1 },
      ],
      problems: [],
    });
  });

  it("given a quoted name over two lines, then the next row keeps its own line number", () => {
    const { counts } = parseCountCsv('sku,name,onHand\nA1,"two\nlines",5\nB2,x,1\n');
    expect(counts).toEqual([
      { line: 2, sku: "A1", onHand: 5 },
      { line: 4, sku: "B2", onHand: 1 },
    ]);
  });

  it.each([
    ["semicolons", "sku;name;onHand\nA1;Shirt, blue;5\nB2;Mug;0\n"],
    ["tabs", "sku\tname\tonHand\nA1\tShirt, blue\t5\nB2\tMug\t0\n"],
    ["semicolons without a header", "A1;5\nB2;0\n"],
  ])("given columns separated by %s, then they are read as columns", (_, text) => {
    const { counts, problems } = parseCountCsv(text);
    expect(problems).toEqual([]);
    expect(counts.map((c) => [c.sku, c.onHand])).toEqual([
      ["A1", 5],
      ["B2", 0],
    ]);
  });

  it("given a POS export's header in any order and case, then SKU and count are taken from the named columns", () => {
    const text = "Name,On Hand,SKU,Price\nShirt,5,A1,9.99\nMug,0,B2,3.50\n";
    expect(parseCountCsv(text).counts).toEqual([
      { line: 2, sku: "A1", onHand: 5 },
      { line: 3, sku: "B2", onHand: 0 },
    ]);
  });

  it("given a header with several columns but none for the count, then line 1 is the problem and nothing is counted", () => {
    expect(parseCountCsv("sku,name,price\nA1,Shirt,5\n")).toEqual({
      counts: [],
      problems: [{ line: 1, message: "the header 'sku,name,price' names no count column: call one onHand (or count, qty)" }],
    });
  });

  it("given a row with more columns than the header (an unquoted comma in a name), then it is reported", () => {
    const { problems } = parseCountCsv("sku,name,onHand\nA1,Shirt, blue,5\nB2,Mug,1\n");
    expect(problems).toEqual([{ line: 2, message: "expected 3 columns as the header names, found 4 in 'A1,Shirt,blue,5'" }]);
  });

  it("given a field whose quote is never closed, then its line is reported and the lines after it are not read", () => {
    const { counts, problems } = parseCountCsv('sku,name,onHand\nA1,x,1\nB2,"open,2\nC3,y,3\n');
    expect(counts).toEqual([{ line: 2, sku: "A1", onHand: 1 }]);
    expect(problems).toEqual([{ line: 3, message: expect.stringMatching(/^a quote.*; the lines after it were not read$/) }]);
  });

  it("given a bad line and a broken quote after it, then both are reported", () => {
    const { problems } = parseCountCsv('A1,x\nB2,"bad"x\n');
    expect(problems.map((p) => p.line)).toEqual([1, 2]);
  });

  it("given a UTF-16 export with a BOM and CRLF line ends, then it reads as the same counts", () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("sku\tname\tonHand\r\nA1\tBücher\t5\r\nB2\tMug\t1\r\n", "utf16le"),
    ]);
    expect(parseCountCsv(decodeText(bytes)).counts).toEqual([
      { line: 2, sku: "A1", onHand: 5 },
      { line: 3, sku: "B2", onHand: 1 },
    ]);
  });

  it("given a blank spreadsheet row of commas, then it is skipped like a blank line", () => {
    expect(parseCountCsv("A1,1\n,,\nB2,2\n")).toEqual({
      counts: [
        { line: 1, sku: "A1", onHand: 1 },
        { line: 3, sku: "B2", onHand: 2 },
      ],
      problems: [],
    });
  });
});
