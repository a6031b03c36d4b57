import Database from "better-sqlite3";

export type JournalStatus = "QUEUED" | "APPLIED" | "REFUSED";

/** One sale or return the agent accepted while the hub was unreachable, as it will be replayed. */
export interface JournalEntry {
  readonly seq: number;
  /** Whose key it is (a hash of the caller's credential): keys are scoped to the caller, as at the hub. */
  readonly scope: string;
  readonly idempotencyKey: string;
  /** Hash of the request as the till sent it: a retry with another body is 422. */
  readonly fingerprint: string;
  readonly path: string;
  /** The till's body, unchanged. */
  readonly body: string;
  /** The caller's own credential, replayed unchanged: the agent never writes under its own identity. */
  readonly authorization: string;
  readonly traceId: string;
  readonly storeId: string;
  readonly sku: string;
  readonly delta: number;
  readonly occurredAt: string;
  readonly status: JournalStatus;
  /** The 202 the till got when it was journaled. */
  readonly queuedReply: string;
  readonly hubStatus: number | null;
  readonly hubReply: string | null;
  readonly hubVersion: number | null;
  readonly settledAt: string | null;
}

export type NewJournalEntry = Omit<JournalEntry, "seq" | "status" | "hubStatus" | "hubReply" | "hubVersion" | "settledAt">;

export interface JournalCounts {
  readonly queued: number;
  readonly applied: number;
  readonly refused: number;
  readonly oldestQueuedAt: string | null;
}

const COLUMNS = `seq, scope, idempotency_key AS idempotencyKey, fingerprint, path, body, authorization, trace_id AS traceId,
  store_id AS storeId, sku, delta, occurred_at AS occurredAt, status, queued_reply AS queuedReply, hub_status AS hubStatus,
  hub_reply AS hubReply, hub_version AS hubVersion, settled_at AS settledAt`;

/**
 * The agent's offline sales journal, in a SQLite file of its own (a replica rebuild swaps the replica's file; the
 * journal must survive it). Every append is committed with synchronous=FULL before it returns, so an entry the
 * till was answered 202 for survives a crash or power loss of the store's box.
 */
export const openJournal = (path: string) => {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(`
    CREATE TABLE IF NOT EXISTS offline_journal (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      scope TEXT NOT NULL, idempotency_key TEXT NOT NULL, fingerprint TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL,
      authorization TEXT NOT NULL, trace_id TEXT NOT NULL, store_id TEXT NOT NULL, sku TEXT NOT NULL, delta INTEGER NOT NULL,
      occurred_at TEXT NOT NULL, status TEXT NOT NULL, queued_reply TEXT NOT NULL,
      hub_status INTEGER, hub_reply TEXT, hub_version INTEGER, settled_at TEXT,
      UNIQUE (scope, idempotency_key));
    CREATE INDEX IF NOT EXISTS offline_journal_open ON offline_journal (status, seq);
    CREATE INDEX IF NOT EXISTS offline_journal_item ON offline_journal (sku, store_id);`);
  const insert = db.prepare(`
    INSERT INTO offline_journal (scope, idempotency_key, fingerprint, path, body, authorization, trace_id, store_id, sku, delta,
      occurred_at, status, queued_reply)
    VALUES (@scope, @idempotencyKey, @fingerprint, @path, @body, @authorization, @traceId, @storeId, @sku, @delta, @occurredAt, 'QUEUED', @queuedReply)`);
  const byKey = db.prepare(`SELECT ${COLUMNS} FROM offline_journal WHERE scope = ? AND idempotency_key = ?`);
  const anyQueued = db.prepare(`SELECT EXISTS (SELECT 1 FROM offline_journal WHERE status = 'QUEUED') AS queued`);
  const anyPending = db.prepare(
    `SELECT EXISTS (SELECT 1 FROM offline_journal WHERE status = 'QUEUED' OR (status = 'APPLIED' AND hub_version IS NOT NULL)) AS pending`,
  );
  const firstQueued = db.prepare(`SELECT ${COLUMNS} FROM offline_journal WHERE status = 'QUEUED' ORDER BY seq LIMIT 1`);
  const settle = db.prepare(`
    UPDATE offline_journal SET status = @status, hub_status = @hubStatus, hub_reply = @hubReply, hub_version = @hubVersion, settled_at = @settledAt
    WHERE seq = @seq AND status = 'QUEUED'`);
  const counts = db.prepare(`
    SELECT coalesce(sum(status = 'QUEUED'), 0) AS queued, coalesce(sum(status = 'APPLIED'), 0) AS applied,
      coalesce(sum(status = 'REFUSED'), 0) AS refused, min(CASE WHEN status = 'QUEUED' THEN occurred_at END) AS oldestQueuedAt
    FROM offline_journal`);
  const unseen = db.prepare(`
    SELECT delta, status, hub_version AS hubVersion FROM offline_journal
    WHERE sku = ? AND store_id = ? AND (status = 'QUEUED' OR (status = 'APPLIED' AND hub_version IS NOT NULL))`);
  const refused = db.prepare(`SELECT ${COLUMNS} FROM offline_journal WHERE status = 'REFUSED' ORDER BY seq DESC LIMIT ?`);
  const prune = db.prepare(`DELETE FROM offline_journal WHERE status = 'APPLIED' AND settled_at < ?`);

  return {
    /** Appends and commits durably; the caller answers 202 only after this returns. */
    append(entry: NewJournalEntry): JournalEntry {
      const { lastInsertRowid } = insert.run(entry);
      return {
        ...entry,
        seq: Number(lastInsertRowid),
        status: "QUEUED",
        hubStatus: null,
        hubReply: null,
        hubVersion: null,
        settledAt: null,
      };
    },
    find(scope: string, idempotencyKey: string): JournalEntry | undefined {
      return byKey.get(scope, idempotencyKey) as JournalEntry | undefined;
    },
    /** The oldest entry not replayed yet: the journal is replayed strictly in the order it was written. */
    next(): JournalEntry | undefined {
      return firstQueued.get() as JournalEntry | undefined;
    },
    settle(
      seq: number,
      outcome: { status: "APPLIED" | "REFUSED"; hubStatus: number; hubReply: string; hubVersion: number | null; at: Date },
    ): void {
      settle.run({
        seq,
        status: outcome.status,
        hubStatus: outcome.hubStatus,
        hubReply: outcome.hubReply,
        hubVersion: outcome.hubVersion,
        settledAt: outcome.at.toISOString(),
      });
    },
    hasQueued(): boolean {
      return (anyQueued.get() as { queued: number }).queued === 1;
    },
    /** Anything whose effect a replica row may not show yet (queued, or replayed and not pruned). */
    hasPending(): boolean {
      return (anyPending.get() as { pending: number }).pending === 1;
    },
    counts(): JournalCounts {
      return counts.get() as JournalCounts;
    },
    /**
     * Units this item's replica row does not show yet: queued entries, and replayed ones whose hub version the
     * replica has not reached.
     */
    unseenDelta(storeId: string, sku: string, replicaVersion: number): number {
      const rows = unseen.all(sku, storeId) as { delta: number; status: JournalStatus; hubVersion: number | null }[];
      return rows.reduce((sum, r) => (r.status === "QUEUED" || (r.hubVersion ?? 0) > replicaVersion ? sum + r.delta : sum), 0);
    },
    refused(limit: number): JournalEntry[] {
      return refused.all(limit) as JournalEntry[];
    },
    /** Forgets replayed entries settled before `before`; refused ones stay until an operator has seen them. */
    prune(before: Date): number {
      return prune.run(before.toISOString()).changes;
    },
    close(): void {
      db.close();
    },
  };
};

export type OfflineJournal = ReturnType<typeof openJournal>;
