import { sql } from "drizzle-orm";
import { failure, isFailure, type Failure } from "@inventory/shared";
import type { Database, Transaction } from "../db/database.js";
import { idempotencyRecords } from "../db/schema.js";
import { appendToOutbox, type OutboxEntry } from "../outbox/append-to-outbox.js";
import {
  emitter,
  HandlerFailed,
  OPEN_SAVEPOINT,
  replyOf,
  runHandler,
  type CommandHandler,
  type CommandReply,
  type CommandRequest,
  type SavepointOpening,
  type StoredReply,
} from "./command-handler.js";
import { databaseUnavailable, isRetryableDatabaseError } from "./database-failure.js";
import { stagedStock } from "./staged-stock.js";
import { withConsistencyToken } from "./consistency-token-header.js";

export interface QueuedCommand {
  readonly request: CommandRequest;
  readonly handler: CommandHandler;
}

/**
 * What became of one command in a batch. `refused` and `error` leave nothing behind (no answer is stored,
 * so a retry with the same key runs it); `retry` means it lost a race and may simply run again.
 */
export type BatchOutcome =
  | { readonly kind: "reply"; readonly reply: CommandReply }
  | { readonly kind: "refused"; readonly failure: Failure; readonly error?: unknown }
  | { readonly kind: "retry"; readonly error: unknown }
  | { readonly kind: "error"; readonly error: unknown };

/** How often a command that lost a race (deadlock, serialization failure) is run before the caller gets 503. */
export const MAX_ATTEMPTS = 3;

/** What a database error means for the command that met it: run it again, answer 503, or let it surface. */
export const classifyDatabaseError = (err: unknown): BatchOutcome => {
  if (isRetryableDatabaseError(err)) return { kind: "retry", error: err };
  const unavailable = databaseUnavailable(err);
  return unavailable ? { kind: "refused", failure: unavailable, error: err } : { kind: "error", error: err };
};

interface StoredAnswer {
  readonly fingerprint: string;
  readonly statusCode: number;
  readonly response: StoredReply;
}

interface AnswerToStore {
  readonly request: CommandRequest;
  readonly reply: StoredReply;
  readonly at: Date;
}

/** How long a stored answer is replayed, as the major payment APIs do: 24 hours. */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 86_400_000;

/** The advisory lock that keeps two transactions from running one key at once; the same name on every path. */
const keyLockName = (r: CommandRequest) => `${r.scope.length}:${r.scope}:${r.idempotencyKey}`;
const answerKey = (scope: string, key: string) => `${scope.length}:${scope}:${key}`;

/**
 * Takes each key's lock without waiting: a key held by another transaction is a request still in progress.
 * Its own statement, so that the look-up after it reads with a snapshot taken once the locks are held.
 */
const tryLockKeys = async (tx: Transaction, requests: readonly CommandRequest[]): Promise<boolean[]> => {
  const result = await tx.execute<{ locked: boolean }>(sql`
    SELECT pg_try_advisory_xact_lock(hashtextextended(k, 0)) AS locked
    FROM unnest(${sql.param(requests.map(keyLockName))}::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n`);
  return result.rows.map((r) => r.locked);
};

/** A stored answer older than `notBefore` has expired: its key starts a new request, as if never used. */
const readStoredAnswers = async (
  tx: Transaction,
  requests: readonly CommandRequest[],
  notBefore: Date,
): Promise<Map<string, StoredAnswer>> => {
  if (requests.length === 0) return new Map();
  const result = await tx.execute<{ scope: string; key: string; fingerprint: string; status_code: number; response: StoredReply }>(sql`
    SELECT scope, key, fingerprint, status_code, response FROM ${idempotencyRecords}
    WHERE (scope, key) IN (SELECT * FROM unnest(${sql.param(requests.map((r) => r.scope))}::text[], ${sql.param(requests.map((r) => r.idempotencyKey))}::text[]))
      AND created_at >= ${notBefore.toISOString()}::timestamptz`);
  return new Map(
    result.rows.map((r) => [answerKey(r.scope, r.key), { fingerprint: r.fingerprint, statusCode: r.status_code, response: r.response }]),
  );
};

/** A key reaches this insert only when it has no live answer: an expired one not yet swept is replaced. */
const storeAnswers = async (tx: Transaction, answers: readonly AnswerToStore[]): Promise<void> => {
  if (answers.length === 0) return;
  const column = <T>(pick: (a: AnswerToStore) => T) => sql.param(answers.map(pick));
  await tx.execute(sql`
    INSERT INTO ${idempotencyRecords} (scope, key, fingerprint, status_code, response, created_at)
    SELECT * FROM unnest(${column((a) => a.request.scope)}::text[], ${column((a) => a.request.idempotencyKey)}::text[],
      ${column((a) => a.request.fingerprint)}::text[], ${column((a) => a.reply.status)}::int[],
      ${column((a) => JSON.stringify(a.reply))}::json[], ${column((a) => a.at.toISOString())}::timestamptz[])
    ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = EXCLUDED.status_code,
      response = EXCLUDED.response, created_at = EXCLUDED.created_at`);
};

const replayOf = (stored: StoredAnswer, request: CommandRequest): BatchOutcome =>
  stored.fingerprint === request.fingerprint
    ? { kind: "reply", reply: { status: stored.statusCode, body: stored.response.body, headers: stored.response.headers, replayed: true } }
    : { kind: "refused", failure: failure("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different request") };

/**
 * Runs commands in one transaction, in order, each under its own savepoint, and commits once. Every command
 * keeps its own idempotency record, answer and events; one that fails (decided or not) rolls back only its own
 * changes. Nothing is answered before the commit: if the transaction fails before it commits, no command
 * happened; if the connection is lost during COMMIT, PostgreSQL may have committed, and the 503 says so.
 * The keys in one batch must be distinct (the lanes keep a second use of a key for the next batch).
 */
export const runCommandBatch = async (
  deps: { db: Database; now: () => Date; newId: () => string; idempotencyRetentionMs?: number },
  commands: readonly QueuedCommand[],
): Promise<BatchOutcome[]> => {
  let committing = false;
  try {
    return await deps.db.transaction(async (tx) => {
      const outcomes: BatchOutcome[] = [];
      const locked = await tryLockKeys(
        tx,
        commands.map((c) => c.request),
      );
      const notBefore = new Date(deps.now().getTime() - (deps.idempotencyRetentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS));
      const stored = await readStoredAnswers(
        tx,
        commands.filter((_, i) => locked[i]).map((c) => c.request),
        notBefore,
      );
      const answers: AnswerToStore[] = [];
      const events: OutboxEntry[] = [];
      let opening: SavepointOpening = OPEN_SAVEPOINT.first;
      const staged = stagedStock(tx);
      // A refused command's rollback waits for the next statement; it must come before any staged write.
      const settleRollback = async () => {
        if (opening !== OPEN_SAVEPOINT.afterRefused) return;
        await tx.execute(sql.raw(OPEN_SAVEPOINT.afterRefused));
        opening = OPEN_SAVEPOINT.afterKept;
      };
      // Loaded together on first need; rows already held by this transaction are simply read again after a flush.
      const stagedSkus = commands.flatMap((c) => (c.handler.staged ? [c.handler.staged.sku] : []));
      for (const [i, { request, handler }] of commands.entries()) {
        if (!locked[i]) {
          outcomes.push({
            kind: "refused",
            failure: failure("IDEMPOTENCY_KEY_IN_USE", "a request with this Idempotency-Key is still in progress; retry shortly"),
          });
          continue;
        }
        const existing = stored.get(answerKey(request.scope, request.idempotencyKey));
        if (existing) {
          outcomes.push(replayOf(existing, request));
          continue;
        }
        const at = deps.now();
        const stamp = { at, traceId: request.traceId, newId: deps.newId, principal: request.principal };
        if (handler.staged) {
          await settleRollback();
          await staged.load(stagedSkus);
          const own: OutboxEntry[] = [];
          const decided = handler.staged.decide(staged.rows(handler.staged.sku), emitter(stamp, own));
          if (decided) {
            const reply = withConsistencyToken(replyOf(decided.outcome), own);
            if (!isFailure(decided.outcome)) {
              for (const item of decided.changed) staged.put(item, at);
              events.push(...own);
            }
            answers.push({ request, reply, at });
            outcomes.push({ kind: "reply", reply: { ...reply, replayed: false } });
            continue;
          }
        }
        // This command reads and writes with its own SQL: staged rows go to the database first.
        if (staged.holdsAny) {
          await settleRollback();
          await staged.flush();
          staged.forget();
        }
        try {
          const ran = await runHandler(tx, handler, stamp, { opening, deferRollback: true });
          opening = ran.rollbackPending ? OPEN_SAVEPOINT.afterRefused : OPEN_SAVEPOINT.afterKept;
          const reply = withConsistencyToken(ran.reply, ran.events);
          answers.push({ request, reply, at });
          events.push(...ran.events);
          outcomes.push({ kind: "reply", reply: { ...reply, replayed: false } });
        } catch (err) {
          // Its savepoint is rolled back; the neighbours' work stands. Any other error means the transaction is lost.
          if (!(err instanceof HandlerFailed)) throw err;
          outcomes.push(classifyDatabaseError(err.error));
          opening = OPEN_SAVEPOINT.afterKept;
        }
      }
      await settleRollback();
      await staged.flush();
      await appendToOutbox(tx, events);
      await storeAnswers(tx, answers);
      committing = true;
      return outcomes;
    });
  } catch (err) {
    const outcome = classifyDatabaseError(err);
    const unknown = committing && outcome.kind === "refused" && outcome.failure.code === "UNAVAILABLE";
    return commands.map(() => (unknown ? { ...outcome, failure: commitOutcomeUnknown() } : outcome));
  }
};

/** COMMIT was sent and its answer lost: only a retry under the same key can tell whether it took effect. */
const commitOutcomeUnknown = () =>
  failure(
    "UNAVAILABLE",
    "the stock database stopped answering while this command was committing; it may have been applied: retry with the same Idempotency-Key to learn its outcome",
    { retryAfterSeconds: 2, dependency: "postgres" },
  );
