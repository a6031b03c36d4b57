import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createLogger } from "./http/logger.js";
import { logProcessWarnings } from "./log-process-warnings.js";

const warning = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("process warnings", () => {
  it("given Node's own printer, when a warning is emitted, then it is one structured line instead, and kafkajs's negative timeout is debug", () => {
    const lines: string[] = [];
    const log = createLogger({ service: "test" }, { level: "info", write: (line) => lines.push(line) });
    const emitter = new EventEmitter();
    const printed: Error[] = [];
    emitter.on("warning", (w: Error) => printed.push(w));

    logProcessWarnings(log, emitter as unknown as NodeJS.Process);
    emitter.emit("warning", warning("TimeoutNegativeWarning", "-1796193492002 is a negative number.\nTimeout duration was set to 1."));
    emitter.emit("warning", warning("MaxListenersExceededWarning", "Possible EventEmitter memory leak detected."));

    expect(printed).toEqual([]);
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      {
        level: "warn",
        msg: "process warning",
        warning: "MaxListenersExceededWarning",
        message: "Possible EventEmitter memory leak detected.",
      },
    ]);
  });

  it("given a negative timeout of our own, then it is a warning", () => {
    const lines: string[] = [];
    const log = createLogger({}, { level: "info", write: (line) => lines.push(line) });
    const emitter = new EventEmitter();
    logProcessWarnings(log, emitter as unknown as NodeJS.Process);
    emitter.emit("warning", warning("TimeoutNegativeWarning", "-250 is a negative number."));
    expect(lines.map((l) => JSON.parse(l).warning)).toEqual(["TimeoutNegativeWarning"]);
  });
});
