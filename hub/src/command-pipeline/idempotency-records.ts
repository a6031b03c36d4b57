import { sql } from "drizzle-orm";
import type { Transaction } from "../db/database.js";
import { idempotencyRecords } from "../db/schema.js";
import type { IdempotencyIdentity, Reply } from "./command.js";

/**
 * A key as one string, its scope length first so that no two (scope, key) pairs read alike. It names the key's
 * advisory lock, the same on every hub, and tells two uses of a key apart wherever commands are queued or looked up.
 */
export const idempotencyIdentity = (i: IdempotencyIdentity): string => `${i.scope.length}:${i.scope}:${i.key}`;

export interface StoredAnswer {
  readonly fingerprint: string;
  readonly reply: Reply;
}

export interface AnswerToStore {
  readonly identity: IdempotencyIdentity;
  readonly reply: Reply;
  readonly at: Date;
}

/** How long a stored answer is replayed, as the major payment APIs do: 24 hours. */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 86_400_000;

/**
 * Takes each key's lock without waiting: a key held by another transaction is a request still in progress.
 * Its own statement, so that the look-up after it reads with a snapshot taken once the locks are held.
 */
export const tryLockKeys = async (tx: Transaction, keys: readonly IdempotencyIdentity[]): Promise<boolean[]> => {
  if (keys.length === 0) return [];
  const result = await tx.execute<{ locked: boolean }>(sql`
    SELECT pg_try_advisory_xact_lock(hashtextextended(k, 0)) AS locked
    FROM unnest(${sql.param(keys.map(idempotencyIdentity))}::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n`);
  return result.rows.map((r) => r.locked);
};

/** A stored answer older than `notBefore` has expired: its key starts a new request, as if never used. By identity. */
export const readStoredAnswers = async (
  tx: Transaction,
  keys: readonly IdempotencyIdentity[],
  notBefore: Date,
): Promise<Map<string, StoredAnswer>> => {
  if (keys.length === 0) return new Map();
  const result = await tx.execute<{ scope: string; key: string; fingerprint: string; status_code: number; response: Reply }>(sql`
    SELECT scope, key, fingerprint, status_code, response FROM ${idempotencyRecords}
    WHERE (scope, key) IN (SELECT * FROM unnest(${sql.param(keys.map((k) => k.scope))}::text[], ${sql.param(keys.map((k) => k.key))}::text[]))
      AND created_at >= ${notBefore.toISOString()}::timestamptz`);
  return new Map(
    result.rows.map((r) => [
      idempotencyIdentity({ scope: r.scope, key: r.key, fingerprint: r.fingerprint }),
      { fingerprint: r.fingerprint, reply: { status: r.status_code, body: r.response.body, headers: r.response.headers ?? {} } },
    ]),
  );
};

/** A key reaches this insert only when it has no live answer: an expired one not yet swept is replaced. */
export const storeAnswers = async (tx: Transaction, answers: readonly AnswerToStore[]): Promise<void> => {
  if (answers.length === 0) return;
  const column = <T>(pick: (a: AnswerToStore) => T) => sql.param(answers.map(pick));
  await tx.execute(sql`
    INSERT INTO ${idempotencyRecords} (scope, key, fingerprint, status_code, response, created_at)
    SELECT * FROM unnest(${column((a) => a.identity.scope)}::text[], ${column((a) => a.identity.key)}::text[],
      ${column((a) => a.identity.fingerprint)}::text[], ${column((a) => a.reply.status)}::int[],
      ${column((a) => JSON.stringify({ status: a.reply.status, body: a.reply.body, headers: a.reply.headers ?? {} }))}::json[],
      ${column((a) => a.at.toISOString())}::timestamptz[])
    ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = EXCLUDED.status_code,
      response = EXCLUDED.response, created_at = EXCLUDED.created_at`);
};
