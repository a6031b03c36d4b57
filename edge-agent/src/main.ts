import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { brokerTopic, CHAIN_VIEW_TOPIC, TOPICS } from "@inventory/shared";
import { openReplicaHandle, createStockChangeLog, startStockChangeFeed, streamGroupId } from "@inventory/read-model";
import {
  createKafka,
  createKafkaSubscriber,
  loadKafkaSecurity,
  createMetrics,
  createDeadLetterSink,
  createKafkaPublisher,
  createLogger,
  loadAuthOptions,
  closeHttpServer,
  logProcessWarnings,
  onShutdownSignal,
  returnMemoryWhenIdle,
  releaseMemory,
  returnMemoryToSystem,
  serveHttp,
  serveOptionsOf,
} from "@inventory/platform";
import { parseAgentEnv } from "./env.js";
import { agentPartitions } from "./agent-partitions.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import { createAgentApp } from "./app.js";
import { startStatusReporter } from "./status-reporter.js";
import { openJournal } from "./offline/journal-store.js";
import { offlineSales } from "./offline/offline-sales.js";
import { journalMetrics } from "./offline/journal-metrics.js";

const env = parseAgentEnv(process.env);
const log = createLogger({ service: "edge-agent", storeId: env.STORE_ID }, { level: env.LOG_LEVEL });
logProcessWarnings(log);
const metrics = createMetrics("edge-agent");

const replicaPath = env.AGENT_REPLICA_PATH ?? `.data/agent-${env.STORE_ID}.sqlite`;
if (replicaPath !== ":memory:") mkdirSync(dirname(replicaPath), { recursive: true });
const kafka = createKafka(
  { brokers: env.KAFKA_BROKERS, clientId: `inventory-agent-${env.STORE_ID}`, security: loadKafkaSecurity(env) },
  log,
);
const subscriber = createKafkaSubscriber(kafka, { log });
const chainViewTopic = brokerTopic(env.KAFKA_TOPIC_PREFIX, CHAIN_VIEW_TOPIC);
// The agent's own store from its partition of the events, exact; the rest of the chain from the coalesced chain view.
const replica = openReplicaHandle({
  path: replicaPath,
  subscriber,
  topics: [...Object.values(TOPICS).map((topic) => brokerTopic(env.KAFKA_TOPIC_PREFIX, topic)), chainViewTopic],
  partitions: agentPartitions(env.STORE_ID, env.KAFKA_TOPIC_PREFIX),
  chainView: {
    topic: chainViewTopic,
    logicalTopic: (topic) => topic.slice(env.KAFKA_TOPIC_PREFIX.length),
    exactStoreId: env.STORE_ID,
  },
  replicaId: `agent-${env.STORE_ID}`,
  log,
  deadLetters: createDeadLetterSink(createKafkaPublisher(kafka), `agent-${env.STORE_ID}`, log),
  metrics,
  // A store's box is small: the memory a replay or a chain-view load grows is given back as it goes, and to the
  // system once caught up.
  onCaughtUp: returnMemoryToSystem,
  releaseMemory,
});
const stockChanges = createStockChangeLog({ epoch: randomUUID().slice(0, 8) });
const stockChangeFeed = startStockChangeFeed({
  subscriber,
  topic: brokerTopic(env.KAFKA_TOPIC_PREFIX, TOPICS.stock),
  groupId: streamGroupId(`agent-${env.STORE_ID}`, replica.store().epoch),
  onlyStore: env.STORE_ID,
  changes: stockChanges,
});
const breaker = createCircuitBreaker({ failureThreshold: env.BREAKER_FAILURE_THRESHOLD, openMs: env.BREAKER_OPEN_MS });

const journalPath = env.OFFLINE_JOURNAL_PATH ?? `.data/agent-${env.STORE_ID}-offline.sqlite`;
if (env.OFFLINE_SALES && journalPath !== ":memory:") mkdirSync(dirname(journalPath), { recursive: true });
const journal = env.OFFLINE_SALES ? openJournal(journalPath) : undefined;
const offlineMetrics = journal ? journalMetrics(metrics) : undefined;
const offline = journal
  ? {
      storeId: env.STORE_ID,
      journal,
      sales: offlineSales({
        storeId: env.STORE_ID,
        journal,
        replica,
        hubUrl: env.HUB_URL,
        timeoutMs: env.HUB_TIMEOUT_MS,
        breaker,
        maxQueued: env.OFFLINE_MAX_QUEUED,
        log,
        onSettled: (outcome) => offlineMetrics?.settled(outcome),
      }),
    }
  : undefined;
if (offline)
  log.info("OFFLINE_SALES on: sales and returns are journaled while the hub is unreachable", {
    journalPath,
    maxQueued: env.OFFLINE_MAX_QUEUED,
  });
const replayTimer = offline?.sales.start(env.OFFLINE_REPLAY_INTERVAL_MS);

const { app, direct } = createAgentApp({
  offline,
  onScrape: () => {
    if (offline && offlineMetrics) offlineMetrics.observe(offline.sales.status());
  },
  replica,
  auth: await loadAuthOptions(env, log),
  hub: { hubUrl: env.HUB_URL, timeoutMs: env.HUB_TIMEOUT_MS, breaker, log },
  maxBodyBytes: env.MAX_BODY_BYTES,
  log,
  metrics,
  readsRequireToken: env.READS_REQUIRE_TOKEN,
  projectionName: `agent-${env.STORE_ID}`,
  stockChanges,
  stream: { heartbeatMs: env.STREAM_HEARTBEAT_MS, maxStreamsPerCaller: env.STREAM_MAX_PER_CALLER },
  readiness: async () => {
    const status = replica.status();
    return {
      replica: { ok: status.caughtUp, required: true, detail: `lag ${status.lagMs} ms${status.lastError ? `; ${status.lastError}` : ""}` },
      hub: { ok: breaker.state(Date.now()) === "CLOSED", required: false, detail: `writes circuit ${breaker.state(Date.now())}` },
    };
  },
});

const reporter = env.AGENT_TOKEN
  ? startStatusReporter({
      hubUrl: env.HUB_URL,
      token: env.AGENT_TOKEN,
      storeId: env.STORE_ID,
      projection: `agent-${env.STORE_ID}`,
      replica,
      intervalMs: env.STATUS_REPORT_INTERVAL_MS,
      log,
      breakerState: () => breaker.state(Date.now()),
      offline: offline ? () => offline.sales.status() : undefined,
    })
  : undefined;
if (!reporter) log.info("AGENT_TOKEN not set: this agent does not report its status to the hub");

// What a later burst grows (a recount of the store) is given back once the agent is quiet again.
const idleMemory = returnMemoryWhenIdle({ log });
const server = await serveHttp(app, { ...serveOptionsOf(env), direct }, log);

onShutdownSignal(
  [
    { name: "idle memory", run: async () => idleMemory.stop() },
    { name: "change streams", run: async () => stockChanges.close() },
    closeHttpServer(server),
    { name: "stock change stream", run: () => stockChangeFeed.stop() },
    { name: "status reporter", run: () => reporter?.stop() },
    {
      name: "offline journal",
      run: () => {
        replayTimer?.stop();
        journal?.close();
      },
    },
    { name: "replica", run: () => replica.close() },
  ],
  { log, stepTimeoutMs: env.SHUTDOWN_STEP_TIMEOUT_MS, exit: (code) => process.exit(code) },
);
