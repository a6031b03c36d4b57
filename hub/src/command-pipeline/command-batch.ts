import { sql } from "drizzle-orm";
import { failure, isFailure, type Failure } from "@inventory/shared";
import type { Database, Transaction } from "../db/database.js";
import { appendToOutbox, type OutboxEntry } from "../outbox/append-to-outbox.js";
import type { Command, CommandRequest, Reply, StockCommand } from "./command.js";
import { withConsistencyToken } from "./consistency-token-header.js";
import { databaseUnavailable, isRetryableDatabaseError } from "./database-failure.js";
import { heldStock } from "./held-stock.js";
import {
  DEFAULT_IDEMPOTENCY_RETENTION_MS,
  idempotencyIdentity,
  readStoredAnswers,
  storeAnswers,
  tryLockKeys,
  type AnswerToStore,
  type StoredAnswer,
} from "./idempotency-records.js";
import { emitter, OPEN_SAVEPOINT, replyFromOutcome, runSqlCommand, SqlCommandFailed, type SavepointOpening } from "./run-sql-command.js";

export interface QueuedCommand {
  readonly request: CommandRequest;
  readonly command: Command;
}

/**
 * What became of one command in a batch. `refused` and `error` leave nothing behind (no answer is stored,
 * so a retry with the same key runs it); `retry` means it lost a race and may simply run again.
 */
export type BatchOutcome =
  | { readonly kind: "reply"; readonly reply: Reply; readonly replayed: boolean }
  | { readonly kind: "refused"; readonly failure: Failure; readonly error?: unknown }
  | { readonly kind: "retry"; readonly error: unknown }
  | { readonly kind: "error"; readonly error: unknown };

/** What a database error means for the command that met it: run it again, answer 503, or let it surface. */
export const classifyDatabaseError = (err: unknown): BatchOutcome => {
  if (isRetryableDatabaseError(err)) return { kind: "retry", error: err };
  const unavailable = databaseUnavailable(err);
  return unavailable ? { kind: "refused", failure: unavailable, error: err } : { kind: "error", error: err };
};

/** A retry's answer: the stored reply for the same request, a refusal for a key reused for another one. */
const replayStoredAnswer = (stored: StoredAnswer, fingerprint: string): BatchOutcome =>
  stored.fingerprint === fingerprint
    ? { kind: "reply", reply: stored.reply, replayed: true }
    : { kind: "refused", failure: failure("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different request") };

const keyInUse = (): BatchOutcome => ({
  kind: "refused",
  failure: failure("IDEMPOTENCY_KEY_IN_USE", "a request with this Idempotency-Key is still in progress; retry shortly"),
});

/** A counter shared by every hub, so round-robin rotates fairly across concurrent purchases. */
const nextRoundRobinTicket = async (tx: Transaction): Promise<number> => {
  const result = await tx.execute<{ n: string }>(sql`SELECT nextval('purchase_round_robin') AS n`);
  return Number(result.rows[0]?.n ?? 0);
};

export interface BatchDeps {
  readonly db: Database;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly idempotencyRetentionMs?: number;
}

/**
 * Runs commands in one transaction, in order, and commits once; a lone command is a batch of one. Every command
 * keeps its own idempotency record (when it has a key), answer and events; one that fails (decided or not) rolls
 * back only its own changes. Stock commands are decided against their SKU's rows, held locked; a SQL command runs
 * under its own savepoint, after the held rows have been written. Nothing is answered before the commit: if the
 * transaction fails before it commits, no command happened; if the connection is lost during COMMIT, PostgreSQL
 * may have committed, and the 503 says so. The keys in one batch must be distinct (the lanes keep a second use
 * of a key for the next batch).
 */
export const runCommandBatch = async (deps: BatchDeps, queued: readonly QueuedCommand[]): Promise<BatchOutcome[]> => {
  let committing = false;
  try {
    return await deps.db.transaction(async (tx) => {
      const keyed = queued.flatMap((q) => (q.request.idempotency ? [q.request.idempotency] : []));
      const lockedKeys = await tryLockKeys(tx, keyed);
      const locked = new Set(keyed.filter((_, i) => lockedKeys[i]).map(idempotencyIdentity));
      const notBefore = new Date(deps.now().getTime() - (deps.idempotencyRetentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS));
      const stored = await readStoredAnswers(
        tx,
        keyed.filter((k) => locked.has(idempotencyIdentity(k))),
        notBefore,
      );
      /** What became of a command before it runs, if anything: its key is busy, or it has an answer. */
      const answeredBeforeRunning = ({ request }: QueuedCommand): BatchOutcome | undefined => {
        const key = request.idempotency;
        if (!key) return undefined;
        const identity = idempotencyIdentity(key);
        if (!locked.has(identity)) return keyInUse();
        const existing = stored.get(identity);
        return existing ? replayStoredAnswer(existing, key.fingerprint) : undefined;
      };
      const early = queued.map(answeredBeforeRunning);

      const outcomes: BatchOutcome[] = [];
      const answers: AnswerToStore[] = [];
      const events: OutboxEntry[] = [];
      const held = heldStock(tx);
      // Loaded together on first need; rows already held by this transaction are simply read again after a flush.
      const stockNeeds = queued.flatMap((q, i) =>
        q.command.kind === "stock" && early[i] === undefined ? [{ sku: q.command.sku, storeId: q.command.storeId }] : [],
      );
      let opening: SavepointOpening = OPEN_SAVEPOINT.first;
      // A refused SQL command's rollback waits for the next statement; it must come before any held-stock statement.
      const runPendingRollback = async () => {
        if (opening !== OPEN_SAVEPOINT.afterRefused) return;
        await tx.execute(sql.raw(OPEN_SAVEPOINT.afterRefused));
        opening = OPEN_SAVEPOINT.afterKept;
      };
      const answered = (request: CommandRequest, reply: Reply, at: Date) => {
        if (request.idempotency) answers.push({ identity: request.idempotency, reply, at });
        outcomes.push({ kind: "reply", reply, replayed: false });
      };
      const decideStock = async (command: StockCommand, request: CommandRequest, at: Date) => {
        await runPendingRollback();
        await held.load(stockNeeds);
        const stock = held.sku(command.sku);
        // The contract: each round-robin purchase of a known SKU advances the shared counter by one.
        const ticket = command.drawsTicket && stock.skuKnown ? await nextRoundRobinTicket(tx) : 0;
        const own: OutboxEntry[] = [];
        const stamp = { at, traceId: request.traceId, newId: deps.newId, principal: request.principal };
        const decided = command.decide(stock, emitter(stamp, own), ticket);
        if (!isFailure(decided.outcome)) {
          for (const item of decided.changed) held.put(item, at);
          events.push(...own);
        }
        answered(request, withConsistencyToken(replyFromOutcome(decided.outcome), own), at);
      };

      for (const [i, { request, command }] of queued.entries()) {
        const before = early[i];
        if (before) {
          outcomes.push(before);
          continue;
        }
        const at = deps.now();
        if (command.kind === "stock") {
          await decideStock(command, request, at);
          continue;
        }
        // This command reads and writes with its own SQL: held rows go to the database first.
        if (held.holdsAny) {
          await runPendingRollback();
          await held.flush();
          held.forget();
        }
        try {
          const stamp = { at, traceId: request.traceId, newId: deps.newId, principal: request.principal };
          const ran = await runSqlCommand(tx, command, stamp, opening);
          opening = ran.rollbackPending ? OPEN_SAVEPOINT.afterRefused : OPEN_SAVEPOINT.afterKept;
          events.push(...ran.events);
          answered(request, withConsistencyToken(ran.reply, ran.events), at);
        } catch (err) {
          // Its savepoint is rolled back; the neighbours' work stands. Any other error means the transaction is lost.
          if (!(err instanceof SqlCommandFailed)) throw err;
          outcomes.push(classifyDatabaseError(err.error));
          opening = OPEN_SAVEPOINT.afterKept;
        }
      }
      await runPendingRollback();
      await held.flush();
      await appendToOutbox(tx, events);
      await storeAnswers(tx, answers);
      committing = true;
      return outcomes;
    });
  } catch (err) {
    const outcome = classifyDatabaseError(err);
    const unknown = committing && outcome.kind === "refused" && outcome.failure.code === "UNAVAILABLE";
    return queued.map(() => (unknown ? { ...outcome, failure: commitOutcomeUnknown() } : outcome));
  }
};

/** COMMIT was sent and its answer lost: only a retry under the same key can tell whether it took effect. */
const commitOutcomeUnknown = () =>
  failure(
    "UNAVAILABLE",
    "the stock database stopped answering while this command was committing; it may have been applied: retry with the same Idempotency-Key to learn its outcome",
    { retryAfterSeconds: 2, dependency: "postgres" },
  );
