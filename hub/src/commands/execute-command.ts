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
  type Principal,
} from "@inventory/shared";
import type { Logger } from "@inventory/read-model";
import type { Database, Transaction } from "../db/database.js";
import { idempotencyRecords } from "../db/schema.js";
import { appendToOutbox, type OutboxEntry } from "../outbox/append-to-outbox.js";
import { databaseUnavailable, isRetryableDatabaseError } from "./database-failure.js";

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

/** The hub acting on its own behalf: expiring reservations, driving transfers, seeding demo data. */
export const HUB_PRINCIPAL: Principal = { subject: "hub", roles: ["admin"], stores: [] };

/**
 * Runs a handler inside the caller's transaction, under a savepoint: on success its events go to the outbox;
 * on an expected failure every change it made is rolled back and the failure becomes the answer.
 */
const runHandler = async (
  tx: Transaction,
  handler: CommandHandler,
  stamp: { at: Date; traceId: string; newId: () => string; principal: Principal },
): Promise<StoredReply> => {
  try {
    return await tx.transaction(async (savepoint) => {
      const entries: OutboxEntry[] = [];
      const ctx: CommandContext = {
        tx: savepoint,
        now: stamp.at,
        principal: stamp.principal,
        emit: (draft) => {
          const event = stampEvent(draft, { eventId: stamp.newId(), occurredAt: stamp.at.toISOString(), traceId: stamp.traceId });
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
    return { status: failureStatus(err.failure), body: failureBody(err.failure), headers: {} };
  }
};

/** Retries a transaction that lost a race; turns an unreachable or overloaded database into 503. */
const withDatabaseRetry = async <T>(log: Logger, traceId: string, attempt: () => Promise<T>): Promise<T | Failure> => {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (isRetryableDatabaseError(err) && n < MAX_ATTEMPTS) continue;
      const unavailable =
        databaseUnavailable(err) ??
        (isRetryableDatabaseError(err) ? failure("UNAVAILABLE", "too much contention; retry", { retryAfterSeconds: 1 }) : undefined);
      if (!unavailable) throw err;
      log.warn("command not executed: database unavailable", { traceId, error: String(err) });
      return unavailable;
    }
  }
};

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
      const reply = await runHandler(tx, handler, { at, traceId: request.traceId, newId, principal: request.principal });
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

  return (request: CommandRequest, handler: CommandHandler): Promise<CommandReply | Failure> =>
    withDatabaseRetry(deps.log, request.traceId, () => attempt(request, handler));
};

export type CommandExecutor = ReturnType<typeof createCommandExecutor>;

/**
 * Runs a command the hub itself decided on (a reservation expiring): the same transaction, savepoint and
 * outbox as a client's command, without an idempotency key, since its own state check makes it run once.
 */
export const createSystemCommandRunner = (deps: { db: Database; log: Logger; now?: () => Date; newId?: () => string }) => {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  return (traceId: string, handler: CommandHandler): Promise<{ status: number; body: unknown } | Failure> =>
    withDatabaseRetry(deps.log, traceId, () =>
      deps.db.transaction((tx) => runHandler(tx, handler, { at: now(), traceId, newId, principal: HUB_PRINCIPAL })),
    );
};

export type SystemCommandRunner = ReturnType<typeof createSystemCommandRunner>;
