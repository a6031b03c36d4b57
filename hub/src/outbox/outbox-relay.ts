import pg from "pg";
import type { Logger, Metrics } from "@inventory/read-model";
import type { EventEnvelope } from "@inventory/shared";
import { OUTBOX_CHANNEL } from "./append-to-outbox.js";
import type { EventPublisher } from "./event-publisher.js";

export interface OutboxRelayOptions {
  readonly pool: pg.Pool;
  /** Connection settings for the relay's own session (LISTEN and the leadership lock). */
  readonly listenerConfig: pg.ClientConfig;
  readonly publisher: EventPublisher;
  /** Maps an outbox row's logical topic to its name on the broker. */
  readonly brokerTopic: (topic: string) => string;
  /** Creates missing topics; run before the first publish and retried until it succeeds. */
  readonly ensureTopics: () => Promise<void>;
  readonly log: Logger;
  /** Fallback poll when no notification arrives. Default 1000. */
  readonly idlePollMs?: number;
  readonly batchSize?: number;
  /** Longest wait between attempts after a failure. Default 5000. */
  readonly maxBackoffMs?: number;
  readonly metrics?: Metrics;
}

export interface OutboxRelayStatus {
  readonly leader: boolean;
  readonly published: number;
  readonly lastPublishedAt: string | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

export interface OutboxRelay {
  status(): OutboxRelayStatus;
  /** The backlog as last measured (about once a second), without a query. */
  lastBacklog(): { size: number; oldestAgeMs: number };
  /** Unpublished rows and the age of the oldest, read from the database. */
  backlog(): Promise<{ size: number; oldestAgeMs: number }>;
  stop(): Promise<void>;
}

/** Only one relay in the whole deployment publishes at a time; the others wait on this lock. */
const RELAY_LEADER_LOCK = 7_420_002;

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  event: EventEnvelope;
}

/**
 * Publishes committed outbox rows to Kafka in id order, then marks them published.
 * It selects rows that are not yet published rather than rows above a high-water id, so a transaction that
 * took a lower id but committed later is still picked up. Per item, ids follow commit order, because a
 * command holds the item's row lock from before it takes an id until it commits.
 * A crash between publishing and marking republishes the batch: consumers ignore what they already applied.
 */
export const startOutboxRelay = (options: OutboxRelayOptions): OutboxRelay => {
  const { pool, publisher, log } = options;
  const idlePollMs = options.idlePollMs ?? 1000;
  const batchSize = options.batchSize ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  let running = true;
  let leader = false;
  let published = 0;
  let lastPublishedAt: string | null = null;
  let lastError: string | null = null;
  let lastErrorAt: string | null = null;
  let listener: pg.Client | undefined;
  let wake: (() => void) | undefined;
  let notified = false;
  let topicsReady = false;

  /** Waits for a commit notification or the timeout; returns at once if one arrived since the last read. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (notified) {
        notified = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        notified = false;
        resolve();
      }
      wake = done;
    });

  const dropListener = async () => {
    leader = false;
    const l = listener;
    listener = undefined;
    await l?.end().catch(() => undefined);
  };

  const ensureLeadership = async (): Promise<boolean> => {
    if (listener && leader) return true;
    if (!listener) {
      const client = new pg.Client({ ...options.listenerConfig, connectionTimeoutMillis: 3000, keepAlive: true });
      client.on("error", () => void dropListener());
      client.on("end", () => {
        if (listener === client) {
          listener = undefined;
          leader = false;
        }
      });
      client.on("notification", () => {
        notified = true;
        wake?.();
      });
      await client.connect();
      listener = client;
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    }
    const result = await listener!.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [RELAY_LEADER_LOCK]);
    leader = result.rows[0]?.locked === true;
    if (leader) log.info("outbox relay is the leader");
    return leader;
  };

  const publishBatch = async (): Promise<number> => {
    notified = false;
    const { rows } = await pool.query<OutboxRow>(
      "SELECT id, topic, message_key, event FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1",
      [batchSize],
    );
    if (rows.length === 0) return 0;
    const started = performance.now();
    await publisher.publish(
      rows.map((r) => ({
        topic: options.brokerTopic(r.topic),
        key: r.message_key,
        value: JSON.stringify(r.event),
        headers: { eventId: r.event.eventId, eventType: r.event.eventType, ...(r.event.traceId ? { traceId: r.event.traceId } : {}) },
      })),
    );
    // Log positions are handed out in id order within the batch, and only ever grow from batch to batch.
    await pool.query(
      `WITH drawn AS (SELECT nextval('event_log_position') AS position FROM generate_series(1, $2::int)),
            positions AS (SELECT position, row_number() OVER (ORDER BY position) AS n FROM drawn),
            ids AS (SELECT id, n FROM unnest($1::bigint[]) WITH ORDINALITY AS b(id, n))
       UPDATE outbox o SET published_at = now(), log_position = positions.position
       FROM ids JOIN positions USING (n) WHERE o.id = ids.id`,
      [rows.map((r) => r.id), rows.length],
    );
    published += rows.length;
    options.metrics?.outboxPublishDuration.observe((performance.now() - started) / 1000);
    options.metrics?.outboxPublished.inc(rows.length);
    lastPublishedAt = new Date().toISOString();
    log.debug("outbox batch published", { count: rows.length, traceIds: [...new Set(rows.map((r) => r.event.traceId))].slice(0, 10) });
    return rows.length;
  };

  const loop = async () => {
    let backoffMs = 100;
    while (running) {
      try {
        if (!(await ensureLeadership())) {
          await sleep(2000);
          continue;
        }
        if (!topicsReady) {
          await options.ensureTopics();
          topicsReady = true;
        }
        const count = await publishBatch();
        backoffMs = 100;
        if (count === 0) await sleep(idlePollMs);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        lastErrorAt = new Date().toISOString();
        log.warn("outbox relay cannot publish yet; will retry", { error: lastError, backoffMs });
        if (
          listener &&
          !(await listener.query("SELECT 1").then(
            () => true,
            () => false,
          ))
        )
          await dropListener();
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      }
    }
  };
  const done = loop();

  let measured = { size: 0, oldestAgeMs: 0 };
  const measure = async () => {
    const { rows } = await pool.query<{ size: string; oldest: Date | null }>(
      "SELECT count(*) AS size, min(created_at) AS oldest FROM outbox WHERE published_at IS NULL",
    );
    const oldest = rows[0]?.oldest;
    measured = { size: Number(rows[0]?.size ?? 0), oldestAgeMs: oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0 };
    return measured;
  };
  const measuring = setInterval(() => void measure().catch(() => undefined), 1000);

  return {
    status: () => ({ leader, published, lastPublishedAt, lastError, lastErrorAt }),
    backlog: measure,
    lastBacklog: () => measured,
    stop: async () => {
      running = false;
      clearInterval(measuring);
      wake?.();
      await done;
      await dropListener();
    },
  };
};
