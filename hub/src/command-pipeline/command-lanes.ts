import { failure } from "@inventory/shared";
import type { BatchOutcome, QueuedCommand } from "./command-batch.js";
import { idempotencyIdentity } from "./idempotency-records.js";
import { runsAgain } from "./retry-on-contention.js";

export interface CommandLaneOptions {
  /** How many lanes run batches side by side; each holds one pooled connection while it runs. */
  readonly lanes: number;
  /** The most commands one transaction takes. */
  readonly maxBatch: number;
  /** Commands waiting across all lanes; past it a new command is refused at once (503). */
  readonly maxQueued: number;
  /** A command not started within this long is refused (503) without running. */
  readonly maxWaitMs: number;
  /** Runs one batch in one transaction and says what became of each command, in order. */
  readonly run: (commands: readonly QueuedCommand[]) => Promise<BatchOutcome[]>;
  readonly clock?: () => number;
}

interface Waiting {
  readonly command: QueuedCommand;
  readonly since: number;
  attempts: number;
  readonly answer: (outcome: BatchOutcome) => void;
}

interface Lane {
  waiting: Waiting[];
  running: boolean;
}

/** The lane a batch key belongs to: FNV-1a, so a key always lands on the same lane. */
export const laneOf = (batchKey: string, lanes: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < batchKey.length; i++) hash = Math.imul(hash ^ batchKey.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
};

/**
 * Splits a lane's queue into the next batch and what stays waiting, in arrival order: at most `max`
 * commands, no key twice (a second use of a key waits for the first one's stored answer), and commands
 * that have waited too long set aside to be refused.
 */
export const takeBatch = <T extends { command: QueuedCommand; since: number }>(
  waiting: readonly T[],
  max: number,
  now: number,
  maxWaitMs: number,
) => {
  const batch: T[] = [];
  const expired: T[] = [];
  const rest: T[] = [];
  const keys = new Set<string>();
  for (const w of waiting) {
    const key = w.command.request.idempotency && idempotencyIdentity(w.command.request.idempotency);
    if (now - w.since > maxWaitMs) expired.push(w);
    else if (batch.length >= max || (key !== undefined && keys.has(key))) rest.push(w);
    else {
      if (key !== undefined) keys.add(key);
      batch.push(w);
    }
  }
  return { batch, expired, rest };
};

const busy = (reason: string): BatchOutcome => ({ kind: "refused", failure: failure("UNAVAILABLE", reason, { retryAfterSeconds: 1 }) });

/**
 * Group commit. Commands are queued on the lane of their batch key (a SKU), so commands that touch the
 * same rows meet in one lane and never wait on each other's locks from two transactions. Each lane runs
 * one batch at a time: whatever queued while the previous batch ran goes into the next one, so under no
 * load a command runs alone at once, and under load one commit serves many commands. A command that lost
 * a race (deadlock with another lane or hub) goes first into the lane's next batch.
 */
export const createCommandLanes = (options: CommandLaneOptions) => {
  const clock = options.clock ?? Date.now;
  const lanes: Lane[] = Array.from({ length: options.lanes }, () => ({ waiting: [], running: false }));
  let queued = 0;

  const drain = async (lane: Lane) => {
    lane.running = true;
    while (lane.waiting.length > 0) {
      const { batch, expired, rest } = takeBatch(lane.waiting, options.maxBatch, clock(), options.maxWaitMs);
      lane.waiting = rest;
      for (const w of expired) {
        queued--;
        w.answer(busy("the hub is too busy to start this command in time; nothing was changed, retry"));
      }
      if (batch.length === 0) continue;
      const outcomes = await options
        .run(batch.map((w) => w.command))
        .catch((error: unknown) => batch.map((): BatchOutcome => ({ kind: "error", error })));
      const again: Waiting[] = [];
      batch.forEach((w, i) => {
        const outcome = outcomes[i]!;
        if (runsAgain(outcome, ++w.attempts)) again.push(w);
        else {
          queued--;
          w.answer(outcome);
        }
      });
      lane.waiting = [...again, ...lane.waiting];
    }
    lane.running = false;
  };

  return {
    submit(batchKey: string, command: QueuedCommand): Promise<BatchOutcome> {
      if (queued >= options.maxQueued) return Promise.resolve(busy("the hub has too many commands waiting; nothing was changed, retry"));
      const lane = lanes[laneOf(batchKey, lanes.length)]!;
      return new Promise((answer) => {
        queued++;
        lane.waiting.push({ command, since: clock(), attempts: 0, answer });
        if (!lane.running) void drain(lane);
      });
    },
    /** Commands queued and not yet answered, across all lanes. */
    queued: () => queued,
  };
};

export type CommandLanes = ReturnType<typeof createCommandLanes>;
