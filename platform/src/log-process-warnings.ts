import type { Logger } from "./http/logger.js";

/**
 * Warnings kafkajs 2.2.4 raises on Node 24 and that change nothing: its request queue schedules a check of
 * pending requests `throttledUntil - Date.now()` ms ahead, and `throttledUntil` starts at -1, so the delay is
 * minus the epoch; Node runs the timer after 1 ms instead and warns once a process.
 */
const isKnownHarmless = (warning: Error): boolean =>
  warning.name === "TimeoutNegativeWarning" && /^-1\d{12} is a negative number/.test(warning.message);

/**
 * Process warnings (deprecations, timers, listener leaks) as structured log lines instead of Node's plain text on
 * stderr; the known harmless ones at debug.
 */
export const logProcessWarnings = (log: Logger, on: Pick<NodeJS.Process, "listeners" | "removeListener" | "on"> = process): void => {
  for (const listener of on.listeners("warning")) on.removeListener("warning", listener as (w: Error) => void);
  on.on("warning", (warning: Error) => {
    const fields = { warning: warning.name, message: warning.message, ...("code" in warning ? { code: warning.code } : {}) };
    if (isKnownHarmless(warning)) log.debug("process warning", fields);
    else log.warn("process warning", fields);
  });
};
