import { describe, expect, it } from "vitest";
import { recountExitCode, summariseRecount, type LineOutcome, type LineResult } from "./recount-outcome.js";

const result = (outcome: LineOutcome): LineResult => ({ line: 1, sku: "A1", counted: 1, current: 0, delta: 1, status: "change", outcome });

describe("summariseRecount and recountExitCode", () => {
  it("given every kind of outcome, then each is counted", () => {
    const summary = summariseRecount([
      result({ status: "applied", onHand: 1 }),
      result({ status: "applied", onHand: 2 }),
      result({ status: "already-applied" }),
      result({ status: "unchanged" }),
      result({ status: "refused", code: "NOT_FOUND", message: "unknown sku" }),
      result({ status: "not-sent", message: "hub down" }),
    ]);
    expect(summary).toEqual({ applied: 2, alreadyApplied: 1, unchanged: 1, refused: 1, notSent: 1 });
  });

  it("given lines not sent, then the exit code is 4 even with refusals; refusals alone give 3; otherwise 0", () => {
    expect(recountExitCode({ applied: 1, alreadyApplied: 0, unchanged: 0, refused: 1, notSent: 1 })).toBe(4);
    expect(recountExitCode({ applied: 1, alreadyApplied: 0, unchanged: 0, refused: 1, notSent: 0 })).toBe(3);
    expect(recountExitCode({ applied: 1, alreadyApplied: 3, unchanged: 2, refused: 0, notSent: 0 })).toBe(0);
  });
});
