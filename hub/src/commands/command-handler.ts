import {
  failureBody,
  failureStatus,
  isFailure,
  stampEvent,
  type EventDraft,
  type EventEnvelope,
  type Failure,
  type Principal,
} from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import type { OutboxEntry } from "../outbox/append-to-outbox.js";

export interface CommandContext {
  readonly tx: Transaction;
  readonly now: Date;
  /** Who asked; commands that learn the store only once they load a row check access against it. */
  readonly principal: Principal;
  /** Records an event to be committed to the outbox with this command; returns it stamped. */
  emit(draft: EventDraft): EventEnvelope;
}

export interface CommandSuccess {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

export type CommandHandler = (ctx: CommandContext) => Promise<CommandSuccess | Failure>;

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

class DecidedFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code);
  }
}

export interface HandlerStamp {
  readonly at: Date;
  readonly traceId: string;
  readonly newId: () => string;
  readonly principal: Principal;
}

/**
 * Runs a handler inside the caller's transaction, under a savepoint. On success it returns the answer and
 * the events to commit with it; on an expected failure every change it made is rolled back and the failure
 * becomes the answer, with no events.
 */
export const runHandler = async (
  tx: Transaction,
  handler: CommandHandler,
  stamp: HandlerStamp,
): Promise<{ reply: StoredReply; events: OutboxEntry[] }> => {
  try {
    return await tx.transaction(async (savepoint) => {
      const events: OutboxEntry[] = [];
      const ctx: CommandContext = {
        tx: savepoint,
        now: stamp.at,
        principal: stamp.principal,
        emit: (draft) => {
          const event = stampEvent(draft, { eventId: stamp.newId(), occurredAt: stamp.at.toISOString(), traceId: stamp.traceId });
          events.push({ topic: draft.topic, key: draft.key, event });
          return event;
        },
      };
      const outcome = await handler(ctx);
      if (isFailure(outcome)) throw new DecidedFailure(outcome);
      return { reply: { status: outcome.status, body: outcome.body, headers: outcome.headers ?? {} }, events };
    });
  } catch (err) {
    if (!(err instanceof DecidedFailure)) throw err;
    return { reply: { status: failureStatus(err.failure), body: failureBody(err.failure), headers: {} }, events: [] };
  }
};
