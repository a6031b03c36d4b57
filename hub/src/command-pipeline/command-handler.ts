import {
  failureBody,
  failureStatus,
  isFailure,
  stampEvent,
  type EventDraft,
  type EventEnvelope,
  type Failure,
  type Principal,
  type StockItem,
} from "@inventory/shared";
import { sql } from "drizzle-orm";
import type { Transaction } from "../db/database.js";
import type { OutboxEntry } from "../outbox/append-to-outbox.js";
import type { StagedSku } from "./staged-stock.js";

export interface CommandContext {
  readonly tx: Transaction;
  readonly now: Date;
  /** Who asked; commands that learn the store only once they load a row check access against it. */
  readonly principal: Principal;
  /** Records an event to be committed to the outbox with this command; returns it stamped. */
  emit(draft: EventDraft): EventEnvelope;
  /**
   * Rolls back everything this command has changed and emitted so far, row locks included, and keeps the
   * transaction: for a handler that lets go of one row before it tries another.
   */
  undo(): Promise<void>;
}

export interface CommandSuccess {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

/** What a command decided in memory: its answer, and the items it changed (none for a refusal). */
export interface StagedDecision {
  readonly outcome: CommandSuccess | Failure;
  readonly changed: readonly StockItem[];
}

/**
 * How a single-SKU stock command is decided against rows its batch already holds locked (see stagedStock),
 * with no SQL of its own: the batch pays one statement to lock a SKU's rows and one to write them back,
 * however many commands it decides. `decide` is pure; it answers null when the case needs the database
 * after all (a row that does not exist yet), and the command then runs as its handler.
 */
export interface StagedPlan {
  readonly sku: string;
  decide(rows: StagedSku, emit: (draft: EventDraft) => EventEnvelope): StagedDecision | null;
}

export type CommandHandler = ((ctx: CommandContext) => Promise<CommandSuccess | Failure>) & { readonly staged?: StagedPlan };

export interface CommandRequest {
  /** Whose key this is: keys are scoped to the caller. */
  readonly scope: string;
  readonly principal: Principal;
  readonly idempotencyKey: string;
  /** Hash of what makes two requests "the same request". */
  readonly fingerprint: string;
  readonly traceId: string;
  /**
   * What the command contends on (a SKU). Commands with a batch key share transactions with others on
   * the same lane; without one a command runs in a transaction of its own.
   */
  readonly batchKey?: string;
}

export interface CommandReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly replayed: boolean;
}

/** The answer a command decided, as stored under its idempotency key. */
export interface StoredReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

export interface HandlerStamp {
  readonly at: Date;
  readonly traceId: string;
  readonly newId: () => string;
  readonly principal: Principal;
}

/** A handler's own error, raised after its savepoint was rolled back: the transaction is still usable. */
export class HandlerFailed extends Error {
  constructor(readonly error: unknown) {
    super("command failed", { cause: error });
  }
}

/** The answer a command's outcome gives: its success as it is, or its failure as status and error body. */
export const replyOf = (outcome: CommandSuccess | Failure): StoredReply =>
  isFailure(outcome)
    ? { status: failureStatus(outcome), body: failureBody(outcome), headers: {} }
    : { status: outcome.status, body: outcome.body, headers: outcome.headers ?? {} };

/** Stamps a command's events with its id, time and trace, and collects them for the outbox. */
export const emitter =
  (stamp: HandlerStamp, events: OutboxEntry[]) =>
  (draft: EventDraft): EventEnvelope => {
    const event = stampEvent(draft, { eventId: stamp.newId(), occurredAt: stamp.at.toISOString(), traceId: stamp.traceId });
    events.push({ topic: draft.topic, key: draft.key, event });
    return event;
  };

/** The statement that opens a command's savepoint, by how the command before it in the transaction ended. */
export const OPEN_SAVEPOINT = {
  first: "SAVEPOINT command",
  /** The previous command's savepoint is freed in the round trip that opens this one's. */
  afterKept: "RELEASE SAVEPOINT command; SAVEPOINT command",
  /**
   * The previous command was refused and its rollback left for now: rolling back to its savepoint undoes it and
   * leaves that savepoint exactly where this command begins, so one statement does both.
   */
  afterRefused: "ROLLBACK TO SAVEPOINT command",
} as const;

export type SavepointOpening = (typeof OPEN_SAVEPOINT)[keyof typeof OPEN_SAVEPOINT];

/**
 * Runs a handler inside the caller's transaction, under the savepoint `command`. On success it returns the
 * answer and the events to commit with it; on an expected failure every change it made is rolled back and
 * the failure becomes the answer, with no events. Any other error rolls the savepoint back too and comes out
 * as HandlerFailed; if even the rollback fails, that error comes out as it is and the transaction is lost.
 *
 * `opening` is how the savepoint is opened (see OPEN_SAVEPOINT). With `deferRollback`, an expected failure's
 * rollback is left to the caller (`rollbackPending`), who runs it as the next command's opening or before
 * anything else touches the transaction.
 */
export const runHandler = async (
  tx: Transaction,
  handler: CommandHandler,
  stamp: HandlerStamp,
  options: { opening?: SavepointOpening; deferRollback?: boolean } = {},
): Promise<{ reply: StoredReply; events: OutboxEntry[]; rollbackPending: boolean }> => {
  await tx.execute(sql.raw(options.opening ?? OPEN_SAVEPOINT.first));
  const events: OutboxEntry[] = [];
  const rollback = () => tx.execute(sql.raw("ROLLBACK TO SAVEPOINT command"));
  const ctx: CommandContext = {
    tx,
    now: stamp.at,
    principal: stamp.principal,
    emit: emitter(stamp, events),
    undo: async () => {
      await rollback();
      events.length = 0;
    },
  };
  let outcome: CommandSuccess | Failure;
  try {
    outcome = await handler(ctx);
  } catch (err) {
    await rollback();
    throw new HandlerFailed(err);
  }
  if (!isFailure(outcome)) return { reply: replyOf(outcome), events, rollbackPending: false };
  if (!options.deferRollback) await rollback();
  return { reply: replyOf(outcome), events: [], rollbackPending: options.deferRollback === true };
};
