import { randomUUID } from "node:crypto";
import { failure, type Failure, type Principal } from "@inventory/shared";
import type { Logger } from "@inventory/read-model";
import type { Database } from "../db/database.js";
import { appendToOutbox } from "../outbox/append-to-outbox.js";
import { classifyDatabaseError, MAX_ATTEMPTS, runCommandBatch, type BatchOutcome, type QueuedCommand } from "./command-batch.js";
import { HandlerFailed, runHandler, type CommandHandler, type CommandReply, type CommandRequest } from "./command-handler.js";
import { createCommandLanes, type CommandLaneOptions } from "./command-lanes.js";

/** The hub acting on its own behalf: expiring reservations, driving transfers, seeding demo data. */
export const HUB_PRINCIPAL: Principal = { subject: "hub", roles: ["admin"], stores: [] };

export const contentionFailure = (): Failure => failure("UNAVAILABLE", "too much contention; retry", { retryAfterSeconds: 1 });

/** Turns a command's final outcome into the executor's answer; unexpected errors surface as they are. */
const settle = (log: Logger, traceId: string, outcome: BatchOutcome): CommandReply | Failure => {
  switch (outcome.kind) {
    case "reply":
      return outcome.reply;
    case "refused":
      if (outcome.error !== undefined) log.warn("command not executed: database unavailable", { traceId, error: String(outcome.error) });
      return outcome.failure;
    case "retry":
      log.warn("command not executed: lost every retry to contention", { traceId, error: String(outcome.error) });
      return contentionFailure();
    case "error":
      throw outcome.error;
  }
};

export interface CommandExecutorOptions {
  readonly db: Database;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Group commit: lanes of shared transactions. Without it every command has a transaction of its own. */
  readonly lanes?: Omit<CommandLaneOptions, "run">;
  /** Sizes of the batches committed, for /metrics. */
  readonly observeBatch?: (size: number) => void;
  /** How long a stored answer is replayed for its key; after it a retry is a new request. Default 24 h. */
  readonly idempotencyRetentionMs?: number;
}

/**
 * Runs each command exactly once per idempotency key, with its events in the outbox in the same transaction.
 * The decided outcome, success or expected failure, is stored under the key and replayed for retries;
 * a failure rolls back every change the command made but still records its answer.
 *
 * Commands with a batch key go through lanes (group commit): concurrent commands on one lane share a
 * transaction, each under its own savepoint with its own answer and idempotency record, so PostgreSQL pays
 * one commit for many commands. Every other command runs alone in the same way.
 */
export const createCommandExecutor = (options: CommandExecutorOptions) => {
  const deps = {
    db: options.db,
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
    ...(options.idempotencyRetentionMs !== undefined ? { idempotencyRetentionMs: options.idempotencyRetentionMs } : {}),
  };
  const run = async (commands: readonly QueuedCommand[]) => {
    options.observeBatch?.(commands.length);
    return runCommandBatch(deps, commands);
  };
  const lanes = options.lanes && options.lanes.lanes > 0 ? createCommandLanes({ ...options.lanes, run }) : undefined;

  const alone = async (command: QueuedCommand): Promise<BatchOutcome> => {
    for (let attempt = 1; ; attempt++) {
      const [outcome] = await run([command]);
      if (outcome!.kind !== "retry" || attempt >= MAX_ATTEMPTS) return outcome!;
    }
  };

  return async (request: CommandRequest, handler: CommandHandler): Promise<CommandReply | Failure> => {
    const command = { request, handler };
    const outcome = lanes && request.batchKey !== undefined ? await lanes.submit(request.batchKey, command) : await alone(command);
    return settle(options.log, request.traceId, outcome);
  };
};

export type CommandExecutor = ReturnType<typeof createCommandExecutor>;

/**
 * Runs a command the hub itself decided on (a reservation expiring): the same transaction, savepoint and
 * outbox as a client's command, without an idempotency key, since its own state check makes it run once.
 */
export const createSystemCommandRunner = (deps: { db: Database; log: Logger; now?: () => Date; newId?: () => string }) => {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const attempt = async (traceId: string, handler: CommandHandler): Promise<BatchOutcome> => {
    try {
      const reply = await deps.db.transaction(async (tx) => {
        const { reply, events } = await runHandler(tx, handler, { at: now(), traceId, newId, principal: HUB_PRINCIPAL });
        await appendToOutbox(tx, events);
        return reply;
      });
      return { kind: "reply", reply: { ...reply, replayed: false } };
    } catch (err) {
      return classifyDatabaseError(err instanceof HandlerFailed ? err.error : err);
    }
  };
  return async (traceId: string, handler: CommandHandler): Promise<{ status: number; body: unknown } | Failure> => {
    for (let n = 1; ; n++) {
      const outcome = await attempt(traceId, handler);
      if (outcome.kind !== "retry" || n >= MAX_ATTEMPTS) return settle(deps.log, traceId, outcome);
    }
  };
};

export type SystemCommandRunner = ReturnType<typeof createSystemCommandRunner>;
