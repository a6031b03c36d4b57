import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { Hono } from "hono";

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Every metric the hub and the agents expose at /metrics, in Prometheus text format. One registry per
 * process; the parts that do not apply to a process (the outbox on an agent) simply stay at zero.
 */
export const createMetrics = (service: "hub" | "edge-agent") => {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: "inventory_" });
  const metric = <T>(make: (registers: Registry[]) => T) => make([registry]);
  return {
    registry,
    httpRequests: metric(
      (registers) =>
        new Counter({
          name: "inventory_http_requests_total",
          help: "HTTP requests by route and status",
          labelNames: ["method", "route", "status"],
          registers,
        }),
    ),
    httpDuration: metric(
      (registers) =>
        new Histogram({
          name: "inventory_http_request_duration_seconds",
          help: "HTTP request latency",
          labelNames: ["method", "route"],
          buckets: SECONDS,
          registers,
        }),
    ),
    commandOutcomes: metric(
      (registers) =>
        new Counter({
          name: "inventory_command_outcomes_total",
          help: "Write commands by route and outcome code (OK or an error code)",
          labelNames: ["route", "code", "replayed"],
          registers,
        }),
    ),
    commandBatchSize: metric(
      (registers) =>
        new Histogram({
          name: "inventory_command_batch_size",
          help: "Commands committed together in one transaction",
          buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
          registers,
        }),
    ),
    outboxPublished: metric(
      (registers) => new Counter({ name: "inventory_outbox_published_total", help: "Events published from the outbox", registers }),
    ),
    outboxPublishDuration: metric(
      (registers) =>
        new Histogram({
          name: "inventory_outbox_publish_duration_seconds",
          help: "Time to publish one outbox batch to Kafka",
          buckets: SECONDS,
          registers,
        }),
    ),
    outboxBacklog: metric((registers) => new Gauge({ name: "inventory_outbox_backlog", help: "Unpublished outbox events", registers })),
    outboxOldestAge: metric(
      (registers) =>
        new Gauge({ name: "inventory_outbox_oldest_unpublished_age_seconds", help: "Age of the oldest unpublished event", registers }),
    ),
    fetchedBytes: metric(
      (registers) =>
        new Counter({
          name: "inventory_replica_fetched_bytes_total",
          help: "Bytes of record keys, values and headers a replica received from Kafka (as decompressed), by topic",
          labelNames: ["topic"],
          registers,
        }),
    ),
    eventsApplied: metric(
      (registers) =>
        new Counter({
          name: "inventory_projection_events_total",
          help: "Events a replica processed, by outcome",
          labelNames: ["topic", "outcome"],
          registers,
        }),
    ),
    applyDuration: metric(
      (registers) =>
        new Histogram({
          name: "inventory_projection_apply_duration_seconds",
          help: "Time to apply one batch to the replica",
          buckets: SECONDS,
          registers,
        }),
    ),
    consumerLag: metric(
      (registers) =>
        new Gauge({
          name: "inventory_consumer_lag_messages",
          help: "Messages not yet applied, per partition",
          labelNames: ["topic", "partition"],
          registers,
        }),
    ),
    projectionLag: metric(
      (registers) => new Gauge({ name: "inventory_projection_lag_ms", help: "What X-Projection-Lag-ms says now", registers }),
    ),
    deadLetters: metric(
      (registers) =>
        new Counter({
          name: "inventory_dead_letters_total",
          help: "Messages sent to a dead-letter topic, or set aside in the outbox because Kafka refused them",
          labelNames: ["topic"],
          registers,
        }),
    ),
    reservationExpiries: metric(
      (registers) => new Counter({ name: "inventory_reservation_expiries_total", help: "Reservations expired by the hub", registers }),
    ),
  };
};

export type Metrics = ReturnType<typeof createMetrics>;

export const metricsRoute = (metrics: Metrics, beforeScrape: () => Promise<void> | void = () => undefined) =>
  new Hono().get("/metrics", async (c) => {
    await beforeScrape();
    return c.text(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType });
  });
