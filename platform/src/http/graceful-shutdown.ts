import type { Server } from "node:http";
import type { Logger } from "./logger.js";

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => unknown;
}

export interface GracefulShutdownOptions {
  readonly log: Logger;
  /** Longest time one step may take before the process moves on to the next. */
  readonly stepTimeoutMs: number;
  /** Called once every step has finished or timed out; exits the process in production. */
  readonly exit: (code: number) => void;
}

/** The first step of every stop: no new connections, and the requests in flight are answered. */
export const closeHttpServer = (server: Server): ShutdownStep => ({
  name: "http server",
  run: () => new Promise<void>((resolve) => server.close(() => resolve())),
});

/**
 * Runs the steps in order on the first signal and exits. A step that hangs (a Kafka client waiting on a
 * broker that is gone, a pool waiting on a connection that is never given back) is logged by name and
 * left behind, so a stop always ends, and with exit code 1 when it was not clean.
 */
export const onShutdownSignal = (steps: readonly ShutdownStep[], options: GracefulShutdownOptions) => {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.log.info("stopping", { signal });
    let clean = true;
    for (const step of steps) {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        Promise.resolve()
          .then(step.run)
          .then(
            () => "done" as const,
            (err: unknown) => {
              options.log.warn("shutdown step failed", { step: step.name, error: String(err) });
              return "failed" as const;
            },
          ),
        new Promise<"timed out">((resolve) => {
          timer = setTimeout(() => resolve("timed out"), options.stepTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (outcome === "timed out") options.log.error("shutdown step timed out", { step: step.name, afterMs: Date.now() - started });
      if (outcome !== "done") clean = false;
    }
    options.log.info("stopped", { clean });
    options.exit(clean ? 0 : 1);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return shutdown;
};
