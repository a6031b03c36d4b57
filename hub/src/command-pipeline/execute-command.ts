import { randomUUID } from "node:crypto";
import { failure, isFailure, type Failure } from "@inventory/shared";
import type { Logger } from "@inventory/platform";
import type { Database } from "../db/database.js";
import { runCommandBatch, type BatchOutcome, type QueuedCommand } from "./command-batch.js";
import { HUB_PRINCIPAL, type Command, type CommandRequest, type Reply } from "./command.js";
import { createCommandLanes, type CommandLaneOptions } from "./command-lanes.js";
import { retryOnContention } from "./retry-on-contention.js";

export const contentionFailure = (): Failure => failure("UNAVAILABLE", "too much contention; retry", { retryAfterSeconds: 1 });

/** A command's answer, and whether it was replayed from its key's stored answer. */
export interface ExecutedCommand {
  readonly reply: Reply;
  readonly replayed: boolean;
}

/** What the caller gets from a command's final outcome; unexpected errors surface as they are. */
const answerOf = (log: Logger, traceId: string, outcome: BatchOutcome): ExecutedCommand | Failure => {
  switch (outcome.kind) {
    case "reply":
      return { reply: outcome.reply, replayed: outcome.replayed };
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
 * transaction, each with its own answer and idempotency record, so PostgreSQL pays one commit for many
 * commands. Every other command runs alone, as a batch of one.
 */
export const createCommandExecutor = (options: CommandExecutorOptions) => {
  const deps = {
    db: options.db,
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
    ...(options.idempotencyRetentionMs !== undefined ? { idempotencyRetentionMs: options.idempotencyRetentionMs } : {}),
  };
  const run = async (batch: readonly QueuedCommand[]) => {
    options.observeBatch?.(batch.length);
    return runCommandBatch(deps, batch);
  };
  const lanes = options.lanes && options.lanes.lanes > 0 ? createCommandLanes({ ...options.lanes, run }) : undefined;
  const alone = (queued: QueuedCommand) => retryOnContention(async () => (await run([queued]))[0]!);

  return async (request: CommandRequest, command: Command): Promise<ExecutedCommand | Failure> => {
    const queued = { request, command };
    const outcome = lanes && request.batchKey !== undefined ? await lanes.submit(request.batchKey, queued) : await alone(queued);
    return answerOf(options.log, request.traceId, outcome);
  };
};

export type CommandExecutor = ReturnType<typeof createCommandExecutor>;

/**
 * Runs a command the hub itself decided on (a reservation expiring, a transfer's step): a batch of one like a
 * client's command, without an idempotency key, since its own state check makes it run once.
 */
export const createSystemCommandRunner = (deps: { db: Database; log: Logger; now?: () => Date; newId?: () => string }) => {
  const batchDeps = { db: deps.db, now: deps.now ?? (() => new Date()), newId: deps.newId ?? randomUUID };
  return async (traceId: string, command: Command): Promise<Reply | Failure> => {
    const queued = { request: { principal: HUB_PRINCIPAL, traceId }, command };
    const answer = answerOf(deps.log, traceId, await retryOnContention(async () => (await runCommandBatch(batchDeps, [queued]))[0]!));
    return isFailure(answer) ? answer : answer.reply;
  };
};

export type SystemCommandRunner = ReturnType<typeof createSystemCommandRunner>;
