import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import {
  brokerTopic,
  productCreatedDraft,
  stampEvent,
  stockItemEventDraft,
  storeRegisteredDraft,
  STOCK_EVENT_TYPES,
  TOPICS,
  CHAIN_VIEW_TOPIC,
  type EventDraft,
} from "@inventory/shared";
import { createKafka, ensureTopics, silentLogger, storeAffinePartitioner } from "@inventory/platform";
import type { BenchContext } from "../context.js";
import { startNode, waitForOk } from "../processes.js";
import { rssMb } from "../proc-stats.js";
import { repeat, round, spread } from "../stats.js";

const PARTITIONS = 6;

/**
 * Writes a stream of `events` events in the hub's exact format (built with @inventory/shared's own drafts and
 * stamp) straight to a topic prefix of its own: the stores, one ProductCreated per SKU, then StockRecounted
 * events cycling over `items` stock items of the agent's store, each with the next version. Producing through the hub would take
 * far longer than the replay being measured; what is measured is the agent's consume-and-apply rate.
 */
const produceStream = async (ctx: BenchContext, prefix: string, events: number, items: number) => {
  const { config } = ctx;
  const kafka = createKafka({ brokers: config.kafkaBrokers.split(","), clientId: "bench-rebuild" }, silentLogger);
  await ensureTopics(
    kafka,
    [
      ...Object.values(TOPICS).map((t) => ({ topic: brokerTopic(prefix, t), partitions: PARTITIONS })),
      // The agent reads the chain view too; left empty (no position record), its replica replays the events.
      { topic: brokerTopic(prefix, CHAIN_VIEW_TOPIC), partitions: PARTITIONS, cleanupPolicy: "compact" as const },
    ],
    1,
  );
  // Placed as the relay places them: a store's events on its partition, the one its agent reads.
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: storeAffinePartitioner });
  await producer.connect();
  const topic = brokerTopic(prefix, TOPICS.stock);
  // Every item is the agent's own store's: an agent replays only its store's partition (the rest of the chain
  // comes from the chain view), so that is the replay a new agent without a view would do.
  const own = config.stores[0]!;
  const skus = items;
  const occurredAt = new Date().toISOString();
  const draftAt = (k: number): EventDraft => {
    if (k < config.stores.length)
      return storeRegisteredDraft({ storeId: config.stores[k]!, name: `Store ${config.stores[k]}`, latencyMs: null });
    k -= config.stores.length;
    if (k < skus) return productCreatedDraft({ sku: `R${k}`, name: `Rebuild ${k}` });
    k -= skus;
    const item = k % items;
    const version = Math.floor(k / items) + 1;
    const onHand = 100 + (version % 7);
    const next = {
      storeId: own,
      sku: `R${item}`,
      onHand,
      reserved: 0,
      inTransit: 0,
      version,
    };
    return stockItemEventDraft(next, STOCK_EVENT_TYPES.recounted, { previousOnHand: 0, delta: onHand, countRef: null });
  };
  // One partition takes a send whole: 1,000 events of ~400 bytes stay under the broker's 1 MB batch limit.
  const batch = 1_000;
  const inFlight: Promise<unknown>[] = [];
  let last: { storeId: string; sku: string; version: number } | undefined;
  for (let from = 0; from < events; from += batch) {
    const messages = [];
    for (let k = from; k < Math.min(events, from + batch); k++) {
      const draft = draftAt(k);
      const event = stampEvent(draft, { eventId: randomUUID(), occurredAt, traceId: `bench-rebuild-${k}` });
      messages.push({ key: draft.key, value: JSON.stringify(event) });
      if (draft.eventType === STOCK_EVENT_TYPES.recounted) {
        const p = draft.payload as { storeId: string; sku: string };
        last = { storeId: p.storeId, sku: p.sku, version: draft.aggregate.version };
      }
    }
    inFlight.push(producer.send({ topic, messages, acks: 1 }));
    if (inFlight.length >= 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await producer.disconnect();
  return last;
};

/** How long after a replayed agent is ready its footprint is taken. */
export const SETTLE_MS = 5000;

/**
 * A fresh agent replays a topic of `rebuildEvents` events: the time from starting the process until its
 * /ready is 200 (its replica holds everything Kafka had when it started) gives events/s. The first run's
 * agent, holding `footprintItems` items, gives the agent's footprint: its RSS `SETTLE_MS` after it is ready
 * (the RSS at the moment it became ready is kept beside it).
 */
export const rebuild = async (ctx: BenchContext) => {
  const { config } = ctx;
  const prefix = `rb${randomUUID().slice(0, 8)}.`;
  const produceStarted = performance.now();
  ctx.log(`rebuild: producing ${config.rebuildEvents} events over ${config.footprintItems} items to ${prefix}*`);
  const last = await produceStream(ctx, prefix, config.rebuildEvents, config.footprintItems);
  const produceSeconds = (performance.now() - produceStarted) / 1000;

  const runs = await repeat(config.runs, async (run) => {
    const replicaPath = `${config.dataDir}/replicas/rebuild-${run}.sqlite`;
    ctx.log(`rebuild: run ${run + 1}, fresh agent replaying ${config.rebuildEvents} events`);
    const started = performance.now();
    const agent = await startNode(`agent-rebuild-${run}`, `${config.systemRoot}/edge-agent/start.sh`, config.rebuildAgentPort, {
      logDir: `${config.dataDir}/logs`,
      cwd: config.systemRoot,
      waitFor: "nothing",
      execArgv: config.agentNodeArgs,
      env: {
        STORE_ID: config.stores[0]!,
        HUB_URL: ctx.hubProcess.url,
        KAFKA_BROKERS: config.kafkaBrokers,
        KAFKA_TOPIC_PREFIX: prefix,
        AGENT_REPLICA_PATH: replicaPath,
        LOG_LEVEL: config.logLevel,
        ...config.agentEnv,
      },
    });
    try {
      await waitForOk(`${agent.url}/ready`, agent.assertAlive, agent.name, 30 * 60_000, 20);
      const seconds = (performance.now() - started) / 1000;
      const check = await fetch(`${agent.url}/v1/availability?sku=${last!.sku}&storeId=${last!.storeId}`);
      const lagMs = Number(check.headers.get("x-projection-lag-ms"));
      const body = (await check.json()) as { perStore?: { version: number }[] };
      if ((body.perStore?.[0]?.version ?? 0) < last!.version)
        throw new Error(`rebuild agent ready but ${last!.sku}@${last!.storeId} is behind`);
      const atReadyRssMb = rssMb(agent.pid);
      // The footprint a store's machine carries is the agent's once the replay is over, not the replay's peak.
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return { seconds, eventsPerSec: config.rebuildEvents / seconds, lagMs, rssMb: rssMb(agent.pid), atReadyRssMb };
    } finally {
      await agent.stop();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${replicaPath}${suffix}`, { force: true });
    }
  });
  const eventsPerSec = spread(runs.map((r) => r.eventsPerSec));
  return {
    rebuild: {
      events: config.rebuildEvents,
      eventsPerSec: round(eventsPerSec.median, 0),
      eventsPerSecSpread: eventsPerSec,
      secondsSpread: spread(runs.map((r) => r.seconds)),
      lagMsAfter: runs.map((r) => r.lagMs),
      produceSeconds: round(produceSeconds, 1),
      source: "synthetic events in the hub's format, produced straight to Kafka (not through the hub)",
    },
    agentRssMb: spread(runs.map((r) => r.rssMb)),
    agentRssAtReadyMb: spread(runs.map((r) => r.atReadyRssMb)),
  };
};
