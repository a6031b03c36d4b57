import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  failure,
  failureBody,
  failureStatus,
  isFailure,
  stampEvent,
  type EventDraft,
  type EventEnvelope,
  type Failure,
} from "@inventory/shared";
import type { Logger } from "@inventory/read-model";
import type { Database, Transaction } from "../db/database.js";
import { idempotencyRecords } from "../db/schema.js";
import { appendToOutbox, type OutboxEntry } from "../outbox/append-to-outbox.js";
import { databaseUnavailable, isRetryableDatabaseError } from "./database-failure.js";

export interface CommandContext {
  readonly tx: Transaction;
  readonly now: Date;
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
  readonly idempotencyKey: string;
  /** Hash of what makes two requests "the same request". */
  readonly fingerprint: string;
  readonly traceId: string;
}

export interface CommandReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly replayed: boolean;
}

interface StoredReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

class DecidedFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code);
  }
}

const MAX_ATTEMPTS = 3;

/**
 * Runs one command in one transaction with its idempotency record and its outbox events.
 * The decided outcome, success or expected failure, is stored under the key and replayed for retries;
 * a failure rolls back every change the command made but still records its answer.
 */
export const createCommandExecutor = (deps: { db: Database; log: Logger; now?: () => Date; newId?: () => string }) => {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;

  const attempt = async (request: CommandRequest, handler: CommandHandler): Promise<CommandReply | Failure> =>
    deps.db.transaction(async (tx) => {
      const lock = await tx.execute<{ locked: boolean }>(
        sql`SELECT pg_try_advisory_xact_lock(hashtextextended(${`${request.scope.length}:${request.scope}:${request.idempotencyKey}`}, 0)) AS locked`,
      );
      if (!lock.rows[0]?.locked) {
        return failure("IDEMPOTENCY_KEY_IN_USE", "a request with this Idempotency-Key is still in progress; retry shortly");
      }
      const [existing] = await tx
        .select()
        .from(idempotencyRecords)
        .where(sql`${idempotencyRecords.scope} = ${request.scope} AND ${idempotencyRecords.key} = ${request.idempotencyKey}`);
      if (existing) {
        if (existing.fingerprint !== request.fingerprint) {
          return failure("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different request");
        }
        const stored = existing.response as StoredReply;
        return { status: existing.statusCode, body: stored.body, headers: stored.headers, replayed: true };
      }

      const at = now();
      let reply: StoredReply;
      try {
        reply = await tx.transaction(async (savepoint) => {
          const entries: OutboxEntry[] = [];
          const ctx: CommandContext = {
            tx: savepoint,
            now: at,
            emit: (draft) => {
              const event = stampEvent(draft, { eventId: newId(), occurredAt: at.toISOString(), traceId: request.traceId });
              entries.push({ topic: draft.topic, key: draft.key, event });
              return event;
            },
          };
          const outcome = await handler(ctx);
          if (isFailure(outcome)) throw new DecidedFailure(outcome);
          await appendToOutbox(savepoint, entries);
          return { status: outcome.status, body: outcome.body, headers: outcome.headers ?? {} };
        });
      } catch (err) {
        if (!(err instanceof DecidedFailure)) throw err;
        reply = { status: failureStatus(err.failure), body: failureBody(err.failure), headers: {} };
      }
      await tx.insert(idempotencyRecords).values({
        scope: request.scope,
        key: request.idempotencyKey,
        fingerprint: request.fingerprint,
        statusCode: reply.status,
        response: reply,
        createdAt: at,
      });
      return { ...reply, replayed: false };
    });

  return async (request: CommandRequest, handler: CommandHandler): Promise<CommandReply | Failure> => {
    for (let n = 1; ; n++) {
      try {
        return await attempt(request, handler);
      } catch (err) {
        if (isRetryableDatabaseError(err) && n < MAX_ATTEMPTS) continue;
        const unavailable = databaseUnavailable(err) ?? (isRetryableDatabaseError(err) ? failure("UNAVAILABLE", "too much contention; retry", { retryAfterSeconds: 1 }) : undefined);
        if (unavailable) {
          deps.log.warn("command not executed: database unavailable", { traceId: request.traceId, error: String(err) });
          return unavailable;
        }
        throw err;
      }
    }
  };
};

export type CommandExecutor = ReturnType<typeof createCommandExecutor>;
