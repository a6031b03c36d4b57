import type pg from "pg";
import { streamEventOf } from "@inventory/read-model";
import type { Logger, MessageSubscriber } from "@inventory/platform";
import { enqueueDeliveries, type QueuedChange } from "./delivery-queue.js";

export interface WebhookFeedOptions {
  readonly subscriber: MessageSubscriber;
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
 * its offsets are committed to the group only after that statement has committed, so a hub killed in between
 * leaves the batch to the next hub in the group, which queues nothing twice (the queue is unique per subscription
 * and event). A new group starts from the beginning of the topic: subscriptions match only changes made after
 * they were created, so the replay queues nothing old, and no change made while the group was forming is missed.
 */
export const startWebhookFeed = (options: WebhookFeedOptions) => {
  let stopped = false;
  const subscription = options.subscriber.subscribe(
    {
      name: "webhook feed",
      topics: [options.topic],
      group: options.groupId,
      positions: { kind: "group" },
      // A delivery may wait a quarter second for its batch: the broker then answers a few fetches a second with
      // many changes each, not one fetch per change, which every write would otherwise pay for on hub and broker.
      minFetchBytes: 64 * 1024,
      idleFetchMs: 250,
    },
    async (batch, context) => {
      const changes = () => batch.messages.map((m) => changeOf(m.value)).filter((c): c is QueuedChange => c !== undefined);
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
            firstOffset: batch.messages[0]?.offset,
            attempt,
            error: String(err),
          });
          await sleep(Math.min(200 * attempt, 2000));
          await context.heartbeat();
        }
      }
    },
  );
  return {
    stop: async () => {
      stopped = true;
      await subscription.stop();
    },
  };
};
