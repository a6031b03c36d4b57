import { afterEach, describe, expect, it } from "vitest";
import { onShutdownSignal } from "./graceful-shutdown.js";
import type { Logger } from "./logger.js";

const recordingLogger = () => {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  const log: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: () => log };
  return { log, lines };
};

describe("graceful shutdown", () => {
  const listeners = { SIGTERM: process.listeners("SIGTERM"), SIGINT: process.listeners("SIGINT") };
  afterEach(() => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      for (const l of process.listeners(signal)) if (!listeners[signal].includes(l)) process.off(signal, l);
    }
  });

  it("runs every step in order once, and exits 0 when all finish", async () => {
    const { log } = recordingLogger();
    const ran: string[] = [];
    const codes: number[] = [];
    const shutdown = onShutdownSignal(
      [
        { name: "a", run: async () => void ran.push("a") },
        { name: "b", run: () => void ran.push("b") },
      ],
      { log, stepTimeoutMs: 1000, exit: (code) => codes.push(code) },
    );
    await Promise.all([shutdown("SIGTERM"), shutdown("SIGINT")]);
    expect(ran).toEqual(["a", "b"]);
    expect(codes).toEqual([0]);
  });

  it("leaves a hanging step behind after its timeout, runs the rest, names it, and exits 1", async () => {
    const { log, lines } = recordingLogger();
    const ran: string[] = [];
    const codes: number[] = [];
    const shutdown = onShutdownSignal(
      [
        { name: "stuck consumer", run: () => new Promise(() => undefined) },
        { name: "failing pool", run: () => Promise.reject(new Error("boom")) },
        { name: "last", run: () => void ran.push("last") },
      ],
      { log, stepTimeoutMs: 50, exit: (code) => codes.push(code) },
    );
    const started = Date.now();
    await shutdown("SIGTERM");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ran).toEqual(["last"]);
    expect(codes).toEqual([1]);
    expect(lines.filter((l) => l.level !== "info").map((l) => [l.msg, l.fields?.step])).toEqual([
      ["shutdown step timed out", "stuck consumer"],
      ["shutdown step failed", "failing pool"],
    ]);
  });
});
