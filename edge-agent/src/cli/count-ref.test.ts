import { describe, expect, it } from "vitest";
import { checkCountRef, defaultCountRef, localDay } from "./count-ref.js";

describe("count references", () => {
  it("given a moment, then the day is its local calendar date, zero-padded", () => {
    expect(localDay(new Date(2025, 0, 5, 12, 0))).toBe("2025-01-05");
  });

  it("given a store, a day and a digest, then the default reference names all three", () => {
    expect(defaultCountRef("S1", "2025-01-05", "0123456789abcdef")).toBe("S1-2025-01-05-01234567");
  });

  it.each([
    ["", false],
    ["x".repeat(129), false],
    ["bad\tref", false],
    ["aisle 7, morning", true],
    ["x".repeat(128), true],
  ])("given '%s', then it is accepted: %s", (ref, ok) => {
    expect(typeof checkCountRef(ref) === "string").toBe(ok);
  });
});
