import { describe, expect, it } from "vitest";
import { renderProgress } from "./progress-bar.js";

describe("renderProgress", () => {
  it("given part of the work done, then the bar is filled in proportion and says how much", () => {
    expect(renderProgress(1, 4, 8)).toBe("[##------] 1/4");
    expect(renderProgress(4, 4, 8, "sending")).toBe("[########] 4/4 sending");
  });

  it("given nothing to do or a count past the end, then the bar stays within its width", () => {
    expect(renderProgress(0, 0, 4)).toBe("[####] 0/0");
    expect(renderProgress(9, 4, 4)).toBe("[####] 9/4");
  });
});
