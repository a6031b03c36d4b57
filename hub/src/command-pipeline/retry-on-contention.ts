import type { BatchOutcome } from "./command-batch.js";

/** How often a command that lost a race (deadlock, serialization failure) is run before the caller gets 503. */
export const MAX_ATTEMPTS = 3;

/** Whether a command whose `attempt`-th run (from 1) ended so is to run once more. */
export const runsAgain = (outcome: BatchOutcome, attempt: number): boolean => outcome.kind === "retry" && attempt < MAX_ATTEMPTS;

/** Runs a command until it no longer loses races, at most MAX_ATTEMPTS times; the last outcome stands. */
export const retryOnContention = async (run: () => Promise<BatchOutcome>): Promise<BatchOutcome> => {
  for (let attempt = 1; ; attempt++) {
    const outcome = await run();
    if (!runsAgain(outcome, attempt)) return outcome;
  }
};
