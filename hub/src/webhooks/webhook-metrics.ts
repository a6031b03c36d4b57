import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The webhook dispatcher's figures at /metrics; `pending` is read from PostgreSQL at each scrape. */
export const registerWebhookMetrics = (registry: Registry, pending: () => Promise<number>) => ({
  attempts: new Counter({
    name: "inventory_webhook_attempts_total",
    help: "Webhook delivery attempts by outcome: delivered, failed (retried) or given-up (subscription disabled)",
    labelNames: ["outcome"],
    registers: [registry],
  }),
  attemptDuration: new Histogram({
    name: "inventory_webhook_attempt_duration_seconds",
    help: "Time from sending a webhook to its answer, or to the error or timeout",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  queued: new Counter({
    name: "inventory_webhook_deliveries_queued_total",
    help: "Deliveries queued by the webhook consumer (one per matching subscription and event)",
    registers: [registry],
  }),
  pendingGauge: new Gauge({
    name: "inventory_webhook_pending_deliveries",
    help: "Webhook deliveries not yet delivered, across all hubs",
    registers: [registry],
    async collect() {
      const n = await pending().catch(() => undefined);
      if (n !== undefined) this.set(n);
    },
  }),
});

export type WebhookMetrics = ReturnType<typeof registerWebhookMetrics>;
