import type { Consumer, Kafka } from "kafkajs";
import type pg from "pg";
import { keepConsumerRunning, streamEventOf, type Logger } from "@inventory/read-model";
import { enqueueDeliveries, type QueuedChange } from "./delivery-queue.js";

export interface WebhookFeedOptions {
  readonly kafka: Kafka;
  readonly pool: pg.Pool;
  /** The broker's stock topic. */
  readonly topic: string;
  /** Shared by every hub of a deployment, so each event is queued by one of them (at least once). */
  readonly groupId: string;
  readonly log: Logger;
  /** Called after deliveries were queued, so this hub's dispatcher sends them at once. */
  readonly onQueued: (count: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const changeOf = (value: Buffer | null): QueuedChange | undefined => {
  if (!value) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString("utf8"));
  } catch {
    return undefined;
  }
  const change = streamEventOf(raw);
  if (!change) return undefined;
  const traceId = (raw as { traceId?: unknown }).traceId;
  return { change, traceId: typeof traceId === "string" && traceId.length <= 128 ? traceId : null };
};

/**
 * Feeds the webhook delivery queue from stock.events. Each batch of a partition is queued in one statement and
 * its offsets are committed only after that statement has committed, so a hub killed in between leaves the batch
 * to the next hub in the group, which queues nothing twice (the queue is unique per subscription and event). A
 * fresh group starts from the beginning of the topic: subscriptions match only changes made after they were
 * created, so the replay queues nothing old, and no change made while the group was forming is missed.
 */
export const startWebhookFeed = (options: WebhookFeedOptions) => {
  let stopped = false;
  const consumer = keepConsumerRunning({
    name: "webhook feed",
    log: options.log,
    delayMs: 2000,
    create: (): Consumer =>
      options.kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: 6_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 500,
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
      }),
    start: async (c) => {
      await c.connect();
      await c.subscribe({ topics: [options.topic], fromBeginning: true });
      await c.run({
        eachBatch: async ({ batch, heartbeat }) => {
          const changes = batch.messages.map((m) => changeOf(m.value)).filter((c): c is QueuedChange => c !== undefined);
          for (let attempt = 1; ; attempt++) {
            if (stopped) throw new Error("webhook feed stopping: the batch is left uncommitted");
            try {
              const queued = await enqueueDeliveries(options.pool, changes);
              if (queued > 0) options.onQueued(queued);
              return;
            } catch (err) {
              options.log.warn("webhook deliveries not queued yet; retrying", {
                traceId: "webhook-feed",
                partition: batch.partition,
                firstOffset: batch.firstOffset(),
                attempt,
                error: String(err),
              });
              await sleep(Math.min(200 * attempt, 2000));
              await heartbeat();
            }
          }
        },
      });
    },
  });
  return {
    stop: async () => {
      stopped = true;
      await consumer.stop();
    },
  };
};
