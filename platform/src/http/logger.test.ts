import { describe, expect, it } from "vitest";
import { createLogger, type LogLevel } from "./logger.js";

const capture = (level: LogLevel = "debug") => {
  const lines: string[] = [];
  const log = createLogger({ service: "hub" }, { level, write: (l) => lines.push(l), now: () => new Date("2026-03-01T10:00:00.000Z") });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

describe("createLogger", () => {
  it("given a message and fields, then one JSON line carries level, time, the base fields, the fields and msg", () => {
    const { log, lines, parsed } = capture();
    log.info("listening", { port: 8080 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(parsed()).toEqual([{ level: "info", time: "2026-03-01T10:00:00.000Z", service: "hub", port: 8080, msg: "listening" }]);
  });

  it("given a child with a traceId, then every line of it carries the traceId", () => {
    const { log, parsed } = capture();
    const request = log.child({ traceId: "t-1" });
    request.info("a");
    request.warn("b", { status: 503 });
    request.child({ step: "x" }).error("c");
    expect(parsed().map((l) => [l.traceId, l.msg, l.level])).toEqual([
      ["t-1", "a", "info"],
      ["t-1", "b", "warn"],
      ["t-1", "c", "error"],
    ]);
  });

  it("given a level, then lines below it are not written", () => {
    const { log, parsed } = capture("warn");
    log.debug("d");
    log.info("i");
    log.warn("w");
    expect(parsed().map((l) => l.msg)).toEqual(["w"]);
  });

  it("given an Authorization header or a token among the fields, then their values never reach the line", () => {
    const { log, lines, parsed } = capture();
    log.info("forwarding", {
      authorization: "Bearer eyJ.secret.sig",
      headers: { authorization: "Bearer eyJ.h.s", accept: "json" },
      config: { token: "t0ps3cret" },
      token: "abc",
    });
    expect(lines[0]).not.toMatch(/eyJ|t0ps3cret|"abc"/);
    expect(parsed()[0]).toMatchObject({
      authorization: "[redacted]",
      headers: { authorization: "[redacted]", accept: "json" },
      config: { token: "[redacted]" },
      token: "[redacted]",
    });
  });

  it("given a child bound to request headers, then its lines carry them redacted too", () => {
    const { log, lines } = capture();
    log.child({ traceId: "t-3", headers: { authorization: "Bearer eyJ.child.sig" } }).info("forwarded");
    expect(JSON.parse(lines[0]!)).toMatchObject({ traceId: "t-3", headers: { authorization: "[redacted]" } });
    expect(lines[0]).not.toContain("eyJ");
  });

  it("given an error with a cause and driver fields, then the line keeps its type, message, stack, the fields and the cause", () => {
    const { log, parsed } = capture();
    const driver = Object.assign(new Error('duplicate key value violates unique constraint "stores_pkey"'), {
      code: "23505",
      constraint: "stores_pkey",
      detail: "Key (store_id)=(S1) already exists.",
    });
    log.error("unhandled error", { traceId: "t-2", err: new Error("store insert failed", { cause: driver }) });
    const line = parsed()[0]!;
    expect(line).toMatchObject({
      traceId: "t-2",
      err: {
        type: "Error",
        message: "store insert failed",
        stack: expect.stringContaining("store insert failed"),
        cause: {
          type: "Error",
          code: "23505",
          constraint: "stores_pkey",
          detail: "Key (store_id)=(S1) already exists.",
          message: expect.stringContaining("duplicate key"),
        },
      },
    });
  });

  it("given an error under another field name or in a list, then it is serialized too", () => {
    const { log, parsed } = capture();
    log.warn("failed", { error: new TypeError("bad"), errors: [new RangeError("one"), "two"] });
    expect(parsed()[0]).toMatchObject({
      error: { type: "TypeError", message: "bad" },
      errors: [{ type: "RangeError", message: "one" }, "two"],
    });
  });
});
