import { describe, expect, it } from "vitest";
import { isCliFailure } from "../cli-failure.js";
import { parseAge } from "./operator-commands.js";

describe("parseAge", () => {
  it("reads seconds, minutes, hours and days", () => {
    expect(["90", "90s", "10m", "2h", "1d"].map(parseAge)).toEqual([90, 90, 600, 7200, 86_400]);
  });

  it("refuses anything else, and more than a year", () => {
    for (const bad of ["", "ten minutes", "-5m", "1.5h", "1w", "366d"]) expect(isCliFailure(parseAge(bad)), bad).toBe(true);
  });
});
