import { describe, expect, it } from "vitest";
import { isCliFailure } from "./cli-failure.js";
import { parseIdentifier, parseSkuQtyLines, parseWholeNumber } from "./parse-arguments.js";

describe("parseWholeNumber", () => {
  it("given a signed whole number within bounds, then it is that number", () => {
    expect(parseWholeNumber("-3", "delta", -10, 10)).toBe(-3);
    expect(parseWholeNumber("+4", "delta", -10, 10)).toBe(4);
  });

  it.each(["1.5", "abc", "", "11", "-11"])("given '%s', then it is a usage failure naming the argument", (value) => {
    const parsed = parseWholeNumber(value, "delta", -10, 10);
    expect(isCliFailure(parsed) && parsed.kind === "usage" && parsed.message.startsWith("delta")).toBe(true);
  });
});

describe("parseSkuQtyLines", () => {
  it("given SKU:QTY arguments, then they become lines", () => {
    expect(parseSkuQtyLines(["A1:2", "B-2.x:10"])).toEqual([
      { sku: "A1", qty: 2 },
      { sku: "B-2.x", qty: 10 },
    ]);
  });

  it.each([[[]], [["A1"]], [[":2"]], [["A1:0"]], [["A1:x"]], [["A 1:2"]]])("given %j, then it is a usage failure", (args) => {
    const parsed = parseSkuQtyLines(args);
    expect(isCliFailure(parsed) && parsed.kind === "usage").toBe(true);
  });
});

describe("parseIdentifier", () => {
  it("accepts the API's identifiers and refuses others", () => {
    expect(parseIdentifier("S1", "store id")).toBe("S1");
    expect(isCliFailure(parseIdentifier("S 1", "store id"))).toBe(true);
  });
});
