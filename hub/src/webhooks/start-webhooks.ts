import type pg from "pg";
import type { Registry } from "prom-client";
import { brokerTopic, TOPICS } from "@inventory/shared";
import type { Logger, MessageSubscriber } from "@inventory/platform";
import type { z } from "zod";
import { pendingDeliveries } from "./delivery-queue.js";
import { systemResolver } from "./resolve-target.js";
import { startWebhookDispatcher } from "./start-webhook-dispatcher.js";
import { startWebhookFeed } from "./start-webhook-feed.js";
import { targetPolicyOf } from "./target-address.js";
import type { webhookEnvSchema } from "./webhook-env.js";
import { registerWebhookMetrics } from "./webhook-metrics.js";

export interface StartWebhooksOptions {
  readonly env: z.infer<typeof webhookEnvSchema> & { readonly KAFKA_TOPIC_PREFIX: string };
  readonly subscriber: MessageSubscriber;
  readonly pool: pg.Pool;
  readonly log: Logger;
  readonly registry: Registry;
}

/** Everything webhooks run on a hub: the feed from stock.events into the delivery queue, and the dispatcher. */
export const startWebhooks = ({ env, subscriber, pool, log, registry }: StartWebhooksOptions) => {
  const policy = targetPolicyOf(env.WEBHOOK_ALLOW_PRIVATE_TARGETS);
  const metrics = registerWebhookMetrics(registry, () => pendingDeliveries(pool));
  const dispatcher = startWebhookDispatcher({
    pool,
    log,
    metrics,
    send: { policy, resolveHost: systemResolver, timeoutMs: env.WEBHOOK_TIMEOUT_MS },
    retry: {
      firstDelayMs: env.WEBHOOK_RETRY_FIRST_DELAY_MS,
      maxDelayMs: env.WEBHOOK_RETRY_MAX_DELAY_MS,
      windowMs: env.WEBHOOK_RETRY_WINDOW_MS,
    },
    concurrency: env.WEBHOOK_DISPATCH_CONCURRENCY,
    pollMs: env.WEBHOOK_POLL_MS,
  });
  const feed = startWebhookFeed({
    subscriber,
    pool,
    topic: brokerTopic(env.KAFKA_TOPIC_PREFIX, TOPICS.stock),
    groupId: `${env.KAFKA_TOPIC_PREFIX}inventory-webhooks`,
    log,
    onQueued: (count) => {
      metrics.queued.inc(count);
      dispatcher.wake();
    },
  });
  log.info("webhooks started", { traceId: "webhooks", targets: policy.description });
  return {
    routes: { policy, resolveHost: systemResolver, resolveTimeoutMs: env.WEBHOOK_TIMEOUT_MS },
    stop: async () => {
      await feed.stop();
      await dispatcher.stop();
    },
  };
};
