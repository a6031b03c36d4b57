import { describe, expect, it } from "vitest";
import { describeError } from "./error-message.js";

describe("describeError", () => {
  it("says what a version conflict means and names the current version", () => {
    const e = describeError(409, { code: "VERSION_CONFLICT", message: "expected version 3", currentVersion: 4 }, null);
    expect(e.text).toBe("Someone changed it first: reload and try again (current version 4): expected version 3 (409 VERSION_CONFLICT).");
  });

  it("passes on a 503's Retry-After", () => {
    const e = describeError(503, { code: "UNAVAILABLE", message: "PostgreSQL did not answer" }, "2");
    expect(e.text).toBe("The hub cannot do this right now: PostgreSQL did not answer (503 UNAVAILABLE). Retry after 2 s.");
  });

  it("still says something for a body that is not the product's error", () => {
    expect(describeError(502, {}, "soon").text).toBe("The hub answered 502 (502 HTTP_502).");
  });
});
