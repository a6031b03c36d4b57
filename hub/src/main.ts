import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { brokerTopic, CHAIN_VIEW_TOPIC, failure, TOPICS } from "@inventory/shared";
import { openReplicaHandle, createStockChangeLog, startStockChangeFeed, streamGroupId } from "@inventory/read-model";
import {
  createKafka,
  loadKafkaSecurity,
  createMetrics,
  createDeadLetterSink,
  createLogger,
  deadLetterTopic,
  ensureTopics,
  loadAuthOptions,
  closeHttpServer,
  logProcessWarnings,
  onShutdownSignal,
  returnMemoryWhenIdle,
  serveHttp,
  serveOptionsOf,
  createKafkaPublisher,
  createKafkaSubscriber,
} from "@inventory/platform";
import { createDeadLetterQueue } from "./operations/dead-letter-queue.js";
import { parseHubEnv } from "./env.js";
import { createDatabase, createPool } from "./db/database.js";
import { runMigrations } from "./db/migrate.js";
import { createCommandExecutor, createSystemCommandRunner } from "./command-pipeline/execute-command.js";
import { startReservationExpiry } from "./reservations/reservation-expiry.js";
import { startRetentionSweeps } from "./retention/start-retention-sweeps.js";
import { startChainViewPublisher } from "./chain-view/start-chain-view-publisher.js";
import { eventLogEnds } from "./chain-view/event-log-ends.js";
import { startTransferSaga } from "./transfers/transfer-saga.js";
import { startOutboxRelay } from "./outbox/outbox-relay.js";
import { createPgOutboxStore } from "./outbox/pg-outbox-store.js";
import { createHubApp } from "./app.js";
import { hubReadiness } from "./hub-readiness.js";
import { seedDemoData } from "./catalog/seed-demo.js";
import { registerFleetMetrics } from "./operations/fleet-metrics.js";
import type { AgentReports } from "./operations/operations-routes.js";
import { startWebhooks } from "./webhooks/start-webhooks.js";

const env = parseHubEnv(process.env);
const log = createLogger({ service: "hub", instance: env.HUB_INSTANCE_ID }, { level: env.LOG_LEVEL });
logProcessWarnings(log);
const metrics = createMetrics("hub");

const pool = createPool({
  url: env.DATABASE_URL,
  poolSize: env.DB_POOL_SIZE,
  statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
  connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
});
const db = createDatabase(pool);
const sessionUrl = env.DATABASE_SESSION_URL ?? env.DATABASE_URL;
if (sessionUrl === env.DATABASE_URL) await runMigrations(pool);
else {
  const sessionPool = createPool({ url: sessionUrl, poolSize: 1, statementTimeoutMs: 60_000, connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS });
  await runMigrations(sessionPool).finally(() => sessionPool.end());
}

const kafka = createKafka(
  { brokers: env.KAFKA_BROKERS, clientId: `inventory-hub-${env.HUB_INSTANCE_ID}`, security: loadKafkaSecurity(env) },
  log,
);
const subscriber = createKafkaSubscriber(kafka, { log });
const topics = Object.values(TOPICS).map((topic) => brokerTopic(env.KAFKA_TOPIC_PREFIX, topic));
const chainViewTopic = brokerTopic(env.KAFKA_TOPIC_PREFIX, CHAIN_VIEW_TOPIC);
const deadLetters = createDeadLetterSink(createKafkaPublisher(kafka), `hub-${env.HUB_INSTANCE_ID}`, log);

const execute = createCommandExecutor({
  db,
  log,
  lanes: {
    lanes: env.COMMAND_LANES,
    maxBatch: env.COMMAND_BATCH_MAX,
    maxQueued: env.COMMAND_QUEUE_MAX,
    maxWaitMs: env.COMMAND_QUEUE_WAIT_MS,
  },
  observeBatch: (size) => metrics.commandBatchSize.observe(size),
  idempotencyRetentionMs: env.IDEMPOTENCY_RETENTION_MS,
});
if (env.SEED_DEMO && (await seedDemoData(db, execute))) log.info("seeded demo stores and products");

const runSystemCommand = createSystemCommandRunner({ db, log });
const expiry = startReservationExpiry({ db, run: runSystemCommand, log, metrics });
const retention = startRetentionSweeps({
  pool,
  log,
  idempotencyRetentionMs: env.IDEMPOTENCY_RETENTION_MS,
  outboxRetentionMs: env.OUTBOX_RETENTION_MS,
  webhookDeliveryRetentionMs: env.OUTBOX_RETENTION_MS,
  sweepIntervalMs: env.RETENTION_SWEEP_INTERVAL_MS,
  deleteBatchSize: env.RETENTION_DELETE_BATCH,
});
const saga = startTransferSaga({
  subscriber,
  topic: brokerTopic(env.KAFKA_TOPIC_PREFIX, TOPICS.transfer),
  groupId: `${env.KAFKA_TOPIC_PREFIX}inventory-transfer-saga`,
  run: runSystemCommand,
  log,
  deadLetters,
});
const publisher = createKafkaPublisher(kafka);
const relay = startOutboxRelay({
  store: createPgOutboxStore({ pool, listenerConfig: { connectionString: sessionUrl }, log }),
  publisher,
  brokerTopic: (topic) => brokerTopic(env.KAFKA_TOPIC_PREFIX, topic),
  ensureTopics: () =>
    ensureTopics(
      kafka,
      [
        ...topics.map((topic) => ({ topic, partitions: env.KAFKA_PARTITIONS, retentionMs: env.KAFKA_EVENT_RETENTION_MS })),
        { topic: chainViewTopic, partitions: env.KAFKA_PARTITIONS, cleanupPolicy: "compact" as const },
        ...topics.map((topic) => ({
          topic: deadLetterTopic(topic),
          partitions: env.KAFKA_PARTITIONS,
          retentionMs: env.KAFKA_DEAD_LETTER_RETENTION_MS,
        })),
      ],
      env.KAFKA_REPLICATION_FACTOR,
    ),
  log,
  idlePollMs: env.RELAY_IDLE_POLL_MS,
  metrics,
  batchSize: env.RELAY_BATCH_SIZE,
});

// Gzip pays here: a flush's compact records shrink to about half for ~2.5 ms of CPU per 1,000 (README, The chain view).
const chainViewPublisher = env.AVAILABILITY_COALESCE_MS > 0 ? createKafkaPublisher(kafka, { gzip: true }) : undefined;
const chainViewEnds = eventLogEnds(
  kafka,
  Object.values(TOPICS).map((logical) => ({ logical, broker: brokerTopic(env.KAFKA_TOPIC_PREFIX, logical) })),
);
const chainView = chainViewPublisher
  ? startChainViewPublisher({
      pool,
      publisher: chainViewPublisher,
      topic: chainViewTopic,
      eventLogEnds: chainViewEnds.ends,
      maxEventsPerFlush: env.CHAIN_VIEW_MAX_EVENTS_PER_FLUSH,
      minIntervalMs: env.AVAILABILITY_COALESCE_MS,
      coalesceMs: env.AVAILABILITY_COALESCE_MS,
      log,
      ensureTopic: () =>
        ensureTopics(
          kafka,
          [{ topic: chainViewTopic, partitions: env.KAFKA_PARTITIONS, cleanupPolicy: "compact" }],
          env.KAFKA_REPLICATION_FACTOR,
        ),
    })
  : undefined;

if (env.HUB_REPLICA_PATH !== ":memory:") mkdirSync(dirname(env.HUB_REPLICA_PATH), { recursive: true });
// Every partition of every event topic, so every row is event-fed. A new or rebuilt replica loads the stock rows
// and the catalogue from the chain view (and reads it no further) and continues the stock events from its
// offsets (the stock topic may no longer hold their start); reservations and transfers are read from what their
// topics retain.
const replica = openReplicaHandle({
  path: env.HUB_REPLICA_PATH,
  subscriber,
  topics: [...topics, chainViewTopic],
  chainView: {
    topic: chainViewTopic,
    logicalTopic: (topic) => topic.slice(env.KAFKA_TOPIC_PREFIX.length),
    continues: (topic) => topic === brokerTopic(env.KAFKA_TOPIC_PREFIX, TOPICS.stock),
    follow: false,
  },
  replicaId: env.HUB_INSTANCE_ID,
  log,
  deadLetters,
  metrics,
});

const stockChanges = createStockChangeLog({ epoch: randomUUID().slice(0, 8) });
const stockChangeFeed = startStockChangeFeed({
  subscriber,
  topic: brokerTopic(env.KAFKA_TOPIC_PREFIX, TOPICS.stock),
  groupId: streamGroupId(env.HUB_INSTANCE_ID, replica.store().epoch),
  changes: stockChanges,
});

const webhooks = startWebhooks({ env, subscriber, pool, log, registry: metrics.registry });

const auth = await loadAuthOptions(env, log);
const agentReports: AgentReports = new Map();
registerFleetMetrics(metrics.registry, agentReports);

const app = createHubApp({
  metrics,
  offlineMaxAgeHours: env.OFFLINE_MAX_AGE_HOURS,
  writeGate: () => {
    const backlog = relay.lastBacklog();
    if (backlog.size < env.OUTBOX_MAX_BACKLOG && backlog.oldestAgeMs < env.OUTBOX_MAX_BACKLOG_AGE_MS) return undefined;
    return failure(
      "UNAVAILABLE",
      `events are not reaching Kafka (${backlog.size} waiting, oldest ${Math.round(backlog.oldestAgeMs / 1000)} s); writes resume once they drain`,
      {
        retryAfterSeconds: 5,
        dependency: "kafka",
      },
    );
  },
  beforeScrape: async () => {
    metrics.projectionLag.set(replica.freshness().lagMs(Date.now()));
    const backlog = await relay.backlog().catch(() => undefined);
    if (backlog) {
      metrics.outboxBacklog.set(backlog.size);
      metrics.outboxOldestAge.set(backlog.oldestAgeMs / 1000);
    }
  },
  execute,
  db,
  operations: {
    db,
    auth,
    deadLetters: createDeadLetterQueue({
      kafka,
      publisher: createKafkaPublisher(kafka),
      db,
      brokerTopic: (topic) => brokerTopic(env.KAFKA_TOPIC_PREFIX, topic),
    }),
    replica,
    relay,
    instanceId: env.HUB_INSTANCE_ID,
    reports: agentReports,
  },
  replica,
  readiness: hubReadiness({ pool, replica, relay }),
  auth,
  readsRequireToken: env.READS_REQUIRE_TOKEN,
  rateLimit: { perSecond: env.RATE_LIMIT_WRITES_PER_SECOND, burst: env.RATE_LIMIT_WRITE_BURST },
  maxBodyBytes: env.MAX_BODY_BYTES,
  log,
  console: { devSignInToken: env.CONSOLE_DEV_SIGN_IN ? auth.devToken : undefined },
  stockChanges,
  stream: { heartbeatMs: env.STREAM_HEARTBEAT_MS, maxStreamsPerCaller: env.STREAM_MAX_PER_CALLER },
  webhooks: webhooks.routes,
});

// A burst (a store's full recount) grows the heap, and V8 keeps it through the quiet that follows.
const idleMemory = returnMemoryWhenIdle({ log });
const server = await serveHttp(app, serveOptionsOf(env), log);

onShutdownSignal(
  [
    { name: "idle memory", run: async () => idleMemory.stop() },
    { name: "change streams", run: async () => stockChanges.close() },
    closeHttpServer(server),
    { name: "stock change stream", run: () => stockChangeFeed.stop() },
    { name: "reservation expiry", run: () => expiry.stop() },
    { name: "retention sweeps", run: () => retention.stop() },
    { name: "transfer saga", run: () => saga.stop() },
    { name: "webhooks", run: () => webhooks.stop() },
    { name: "outbox relay", run: () => relay.stop() },
    {
      name: "chain view",
      run: async () => {
        await chainView?.stop();
        await chainViewPublisher?.close();
        await chainViewEnds.close();
      },
    },
    { name: "replica", run: () => replica.close() },
    { name: "event publisher", run: () => publisher.close() },
    { name: "dead-letter queue", run: () => deadLetters.close() },
    {
      name: "database pool",
      run: () => {
        // Connections still checked out here were never given back: pool.end() waits for them.
        log.info("closing database pool", { connections: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
        return pool.end();
      },
    },
  ],
  { log, stepTimeoutMs: env.SHUTDOWN_STEP_TIMEOUT_MS, exit: (code) => process.exit(code) },
);
