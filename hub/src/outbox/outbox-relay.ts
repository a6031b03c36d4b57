import { isPermanentRefusal, type Logger, type MessagePublisher, type Metrics, type OutgoingMessage } from "@inventory/platform";
import type { OutboxBacklog, OutboxRow, OutboxStore } from "./outbox-store.js";
import { deadLetterPermanentRefusals, type PoisonPolicy } from "./poison-policy.js";
import { exponentialBackoff, type RetryPolicy } from "./retry-policy.js";

export interface OutboxRelayOptions {
  readonly store: OutboxStore;
  readonly publisher: MessagePublisher;
  /** Maps an outbox row's logical topic to its name on the broker. */
  readonly brokerTopic: (topic: string) => string;
  /** Creates missing topics; run before the first publish and retried until it succeeds. */
  readonly ensureTopics: () => Promise<void>;
  readonly log: Logger;
  /** Fallback poll when no notification arrives. Default 1000. */
  readonly idlePollMs?: number;
  /** Rows per publish. Default 500. */
  readonly batchSize?: number;
  /** The wait after a failed attempt. Default: 100 ms doubling up to 5 s, never isolating. */
  readonly retryPolicy?: RetryPolicy;
  /** What happens to a message Kafka refuses when sent alone. Default: dead-letter it if the refusal is permanent. */
  readonly poisonPolicy?: PoisonPolicy;
  /** How often the backlog is measured for `lastBacklog`. Default 1000. */
  readonly backlogIntervalMs?: number;
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
  lastBacklog(): OutboxBacklog;
  /** Unpublished rows and the age of the oldest, read from the store. */
  backlog(): Promise<OutboxBacklog>;
  stop(): Promise<void>;
}

const headersOf = (row: OutboxRow) => ({
  eventId: row.event.eventId,
  eventType: row.event.eventType,
  ...(row.event.traceId ? { traceId: row.event.traceId } : {}),
});

/** The Kafka message an outbox row is published as, on its broker topic. */
export const outboxMessage = (row: OutboxRow, brokerTopic: string): OutgoingMessage => ({
  topic: brokerTopic,
  key: row.messageKey,
  value: JSON.stringify(row.event),
  headers: headersOf(row),
});

/**
 * Publishes committed outbox rows to Kafka in id order, then marks them published.
 * It selects rows that are not yet published rather than rows above a high-water id, so a transaction that
 * took a lower id but committed later is still picked up. Per item, ids follow commit order, because a
 * command holds the item's row lock from before it takes an id until it commits.
 * A crash between publishing and marking republishes the batch: consumers ignore what they already applied.
 * A batch Kafka refuses for good is sent again one message at a time; the message it still refuses goes to
 * the poison policy (by default set aside as a dead letter) and the rest go on.
 */
export const startOutboxRelay = (options: OutboxRelayOptions): OutboxRelay => {
  const { store, publisher, log } = options;
  const idlePollMs = options.idlePollMs ?? 1000;
  const batchSize = options.batchSize ?? 500;
  const retryPolicy = options.retryPolicy ?? exponentialBackoff();
  const poisonPolicy = options.poisonPolicy ?? deadLetterPermanentRefusals;
  let running = true;
  let leader = false;
  let published = 0;
  let lastPublishedAt: string | null = null;
  let lastError: string | null = null;
  let lastErrorAt: string | null = null;
  let topicsReady = false;

  const toMessage = (row: OutboxRow): OutgoingMessage => outboxMessage(row, options.brokerTopic(row.topic));

  const markPublished = async (rows: readonly OutboxRow[]) => {
    if (rows.length === 0) return;
    await store.markPublished(rows.map((r) => r.id));
    published += rows.length;
    options.metrics?.outboxPublished.inc(rows.length);
    lastPublishedAt = new Date().toISOString();
    log.debug("outbox batch published", { count: rows.length, traceIds: [...new Set(rows.map((r) => r.event.traceId))].slice(0, 10) });
  };

  /** Sends the rows one by one, so that a message Kafka refuses is found and handed to the poison policy. */
  const publishOneByOne = async (rows: readonly OutboxRow[], afterGivingUp: boolean) => {
    let sent: OutboxRow[] = [];
    for (const row of rows) {
      try {
        await publisher.publish([toMessage(row)]);
        sent.push(row);
      } catch (err) {
        await markPublished(sent);
        sent = [];
        const permanent = isPermanentRefusal(err);
        if (!permanent && !afterGivingUp) throw err;
        const error = err instanceof Error ? err.message : String(err);
        if (poisonPolicy({ outboxId: row.id, topic: row.topic, key: row.messageKey, error, permanent }) === "hold") throw err;
        await store.markDeadLettered(row.id, error);
        options.metrics?.deadLetters.inc({ topic: options.brokerTopic(row.topic) });
        log.error("outbox event dead-lettered: Kafka refused it; see GET /v1/dlt", {
          outboxId: row.id,
          topic: row.topic,
          key: row.messageKey,
          eventId: row.event.eventId,
          eventType: row.event.eventType,
          traceId: row.event.traceId,
          error,
        });
      }
    }
    await markPublished(sent);
  };

  const publishBatch = async (isolate: boolean): Promise<number> => {
    const rows = await store.unpublished(batchSize);
    if (rows.length === 0) return 0;
    const started = performance.now();
    if (isolate) await publishOneByOne(rows, true);
    else {
      try {
        await publisher.publish(rows.map(toMessage));
      } catch (err) {
        if (!isPermanentRefusal(err)) throw err;
        log.warn("Kafka refused a batch for good; sending its messages one by one", { count: rows.length, error: String(err) });
        await publishOneByOne(rows, false);
        return rows.length;
      }
      await markPublished(rows);
    }
    options.metrics?.outboxPublishDuration.observe((performance.now() - started) / 1000);
    return rows.length;
  };

  const loop = async () => {
    let attempt = 0;
    let isolate = false;
    while (running) {
      try {
        leader = await store.lead();
        if (!leader) {
          await store.waitForAppend(2000);
          continue;
        }
        if (!topicsReady) {
          await options.ensureTopics();
          topicsReady = true;
        }
        const count = await publishBatch(isolate);
        attempt = 0;
        isolate = false;
        if (count === 0) await store.waitForAppend(idlePollMs);
      } catch (err) {
        attempt += 1;
        lastError = err instanceof Error ? err.message : String(err);
        lastErrorAt = new Date().toISOString();
        const next = retryPolicy(attempt, err);
        isolate = next === "isolate";
        log.warn("outbox relay cannot publish yet; will retry", { error: lastError, attempt, next });
        await store.recover().catch(() => undefined);
        if (!isolate) await store.waitForAppend(next as number);
      }
    }
  };
  const done = loop();

  let measured: OutboxBacklog = { size: 0, oldestAgeMs: 0, deadLettered: 0 };
  const measure = async () => {
    measured = await store.backlog();
    return measured;
  };
  const measuring = setInterval(() => void measure().catch(() => undefined), options.backlogIntervalMs ?? 1000);

  return {
    status: () => ({ leader, published, lastPublishedAt, lastError, lastErrorAt }),
    backlog: measure,
    lastBacklog: () => measured,
    stop: async () => {
      running = false;
      clearInterval(measuring);
      store.interrupt();
      await done;
      await store.close();
    },
  };
};
