import pg from "pg";
import type { Logger } from "@inventory/platform";
import type { EventEnvelope } from "@inventory/shared";
import { OUTBOX_CHANNEL } from "./append-to-outbox.js";
import { createAppendSignal } from "./append-signal.js";
import type { OutboxStore } from "./outbox-store.js";

/** Only one relay in the whole deployment publishes at a time; the others wait on this lock. */
const RELAY_LEADER_LOCK = 7_420_002;

/**
 * The outbox in PostgreSQL. Leadership is a session advisory lock held by the relay's own connection,
 * which also LISTENs for the commits' notifications; rows are read and marked through the pool.
 */
export const createPgOutboxStore = (deps: { pool: pg.Pool; listenerConfig: pg.ClientConfig; log: Logger }): OutboxStore => {
  const { pool, log } = deps;
  let listener: pg.Client | undefined;
  let leader = false;

  const appended = createAppendSignal();

  const dropListener = async () => {
    leader = false;
    const l = listener;
    listener = undefined;
    await l?.end().catch(() => undefined);
  };

  return {
    lead: async () => {
      if (listener && leader) return true;
      if (!listener) {
        const client = new pg.Client({ ...deps.listenerConfig, connectionTimeoutMillis: 3000, keepAlive: true });
        client.on("error", () => void dropListener());
        client.on("end", () => {
          if (listener === client) {
            listener = undefined;
            leader = false;
          }
        });
        client.on("notification", appended.notify);
        await client.connect();
        listener = client;
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      }
      const result = await listener!.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [RELAY_LEADER_LOCK]);
      leader = result.rows[0]?.locked === true;
      if (leader) log.info("outbox relay is the leader");
      return leader;
    },
    waitForAppend: appended.wait,
    interrupt: appended.interrupt,
    unpublished: async (limit) => {
      appended.consume();
      const { rows } = await pool.query<{ id: string; topic: string; message_key: string; event: EventEnvelope }>(
        "SELECT id, topic, message_key, event FROM outbox WHERE published_at IS NULL AND dead_lettered_at IS NULL ORDER BY id LIMIT $1",
        [limit],
      );
      return rows.map((r) => ({ id: r.id, topic: r.topic, messageKey: r.message_key, event: r.event }));
    },
    markPublished: async (ids) => {
      if (ids.length === 0) return;
      // Log positions are handed out in id order within the batch, and only ever grow from batch to batch.
      await pool.query(
        `WITH drawn AS (SELECT nextval('event_log_position') AS position FROM generate_series(1, $2::int)),
              positions AS (SELECT position, row_number() OVER (ORDER BY position) AS n FROM drawn),
              ids AS (SELECT id, n FROM unnest($1::bigint[]) WITH ORDINALITY AS b(id, n))
         UPDATE outbox o SET published_at = now(), log_position = positions.position
         FROM ids JOIN positions USING (n) WHERE o.id = ids.id`,
        [ids, ids.length],
      );
    },
    markDeadLettered: async (id, error) => {
      await pool.query("UPDATE outbox SET dead_lettered_at = now(), dead_letter_error = $2 WHERE id = $1 AND published_at IS NULL", [
        id,
        error.slice(0, 1000),
      ]);
    },
    /** A replayed dead letter counts in the size but not in the age: its age is from its first commit. */
    backlog: async () => {
      const { rows } = await pool.query<{ size: string; oldest: Date | null; dead: string }>(
        `SELECT count(*) FILTER (WHERE dead_lettered_at IS NULL) AS size,
                min(created_at) FILTER (WHERE dead_lettered_at IS NULL AND dead_letter_error IS NULL) AS oldest,
                count(*) FILTER (WHERE dead_lettered_at IS NOT NULL) AS dead
         FROM outbox WHERE published_at IS NULL`,
      );
      const oldest = rows[0]?.oldest;
      return {
        size: Number(rows[0]?.size ?? 0),
        oldestAgeMs: oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0,
        deadLettered: Number(rows[0]?.dead ?? 0),
      };
    },
    recover: async () => {
      if (
        listener &&
        !(await listener.query("SELECT 1").then(
          () => true,
          () => false,
        ))
      )
        await dropListener();
    },
    close: dropListener,
  };
};
