import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "./errors.js";

describe("the error catalogue (docs/errors.md)", () => {
  it("names every error code with its status", () => {
    const catalogue = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(catalogue, code).toMatch(new RegExp(`^\\| \`${code}\` \\| ${status} \\|`, "m"));
    }
  });
});
