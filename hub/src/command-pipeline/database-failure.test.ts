import { describe, expect, it } from "vitest";
import { databaseUnavailable, isRetryableDatabaseError } from "./database-failure.js";

const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: rollback\nparams: "), { cause });

describe("database failures", () => {
  it.each([
    ["a refused connection", pgError("ECONNREFUSED")],
    ["an administrator shutdown", pgError("57P01")],
    ["a statement timeout", pgError("57014")],
    ["a lost connection wrapped by drizzle", wrapped(new Error("Connection terminated unexpectedly"))],
    ["a server error wrapped by drizzle", wrapped(pgError("57P01", "terminating connection due to unexpected postmaster exit"))],
    ["a pool that could not connect in time", new Error("timeout exceeded when trying to connect")],
  ])("treats %s as 503", (_, err) => {
    expect(databaseUnavailable(err)).toMatchObject({ code: "UNAVAILABLE", details: { dependency: "postgres" } });
  });

  it("leaves other errors to be bugs", () => {
    expect(databaseUnavailable(pgError("23505", "duplicate key"))).toBeUndefined();
    expect(databaseUnavailable(new TypeError("cannot read properties of undefined"))).toBeUndefined();
  });

  it("retries serialization failures and deadlocks, also when wrapped", () => {
    expect(isRetryableDatabaseError(pgError("40001"))).toBe(true);
    expect(isRetryableDatabaseError(wrapped(pgError("40P01")))).toBe(true);
  });
});
