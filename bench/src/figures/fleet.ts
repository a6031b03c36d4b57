import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Consumer } from "kafkajs";
import { brokerTopic, CHAIN_VIEW_TOPIC, TOPICS } from "@inventory/shared";
import { createKafka, recordBytes, silentLogger, storePartition } from "@inventory/platform";
import { api, expectStatus, type Api } from "../api.js";
import type { BenchConfig } from "../config.js";
import { cpuUse, TOKEN } from "../context.js";
import { runLoad, writeHeaders } from "../load.js";
import { freshDatabase } from "../fresh-database.js";
import { hubProgram, startNode, waitForOk, type ManagedProcess } from "../processes.js";
import { pidFile, rssMb } from "../proc-stats.js";
import { skuName } from "../seed.js";
import { SETTLE_MS } from "./rebuild.js";
import { percentile, repeat, round, spread } from "../stats.js";

/** The records and milliseconds of the last chain-view load an agent's log reports. */
const lastChainViewLoad = (logFile: string): { records: number; ms: number } => {
  const lines = readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => l.includes('"replica loaded from the chain view"'));
  const last = lines.length > 0 ? (JSON.parse(lines[lines.length - 1]!) as { records?: unknown; ms?: unknown }) : {};
  if (typeof last.records !== "number" || typeof last.ms !== "number") throw new Error(`${logFile} reports no chain-view load`);
  return { records: last.records, ms: last.ms };
};

/** Every seeded item's count: the totals an agent shows at ready, divided by it, are the items it holds. */
const SEED_ON_HAND = 1_000;
const DATABASE = "bench_fleet";
const FETCHED_BYTES = "inventory_replica_fetched_bytes_total";
/** Kafka's record batch compression codecs, by the low three bits of a batch's attributes. */
const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"];

const storeName = (i: number) => `F${String(i).padStart(3, "0")}`;

export interface FleetDeps {
  readonly config: BenchConfig;
  log(message: string): void;
}

/** The replica's fetched bytes so far, by broker topic, from an agent's /metrics. */
const fetchedBytes = async (agentUrl: string): Promise<Record<string, number>> => {
  const text = await (await fetch(`${agentUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const byTopic: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${FETCHED_BYTES}{`)) continue;
    const topic = /topic="([^"]*)"/.exec(line)?.[1];
    if (topic !== undefined) byTopic[topic] = (byTopic[topic] ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return byTopic;
};

/** The log segment files the broker keeps for a topic's partitions (all when `partitions` is undefined). */
const partitionLogFiles = (kafkaLogDir: string, topic: string, partitions?: readonly number[]): string[] => {
  if (!existsSync(kafkaLogDir)) return [];
  const files: string[] = [];
  for (const dir of readdirSync(kafkaLogDir)) {
    const partition = dir.slice(topic.length + 1);
    if (!dir.startsWith(`${topic}-`) || !/^\d+$/.test(partition) || (partitions && !partitions.includes(Number(partition)))) continue;
    for (const file of readdirSync(`${kafkaLogDir}/${dir}`)) if (file.endsWith(".log")) files.push(`${kafkaLogDir}/${dir}/${file}`);
  }
  return files;
};

/**
 * The compression codec of every record batch the broker stored for a topic, read from its log segments'
 * batch headers (attributes at byte 21 of a batch): what producers sent, which is what consumers fetch.
 */
const batchCodecs = (kafkaLogDir: string, topic: string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const file of partitionLogFiles(kafkaLogDir, topic)) {
    const log = readFileSync(file);
    for (let at = 0; at + 61 <= log.length; ) {
      const batchLength = log.readInt32BE(at + 8);
      if (batchLength <= 0) break;
      const codec = CODECS[log.readInt16BE(at + 21) & 7] ?? "unknown";
      counts[codec] = (counts[codec] ?? 0) + 1;
      at += 12 + batchLength;
    }
  }
  return counts;
};

/**
 * Bytes of record batches the broker has stored for a topic's partitions (all when `partitions` is
 * undefined), as the size of their log segments: what a consumer of them fetches, compressed as sent, less
 * the fetch's own framing. The growth over a window is what that window's readers received on the wire.
 */
const storedBytes = (kafkaLogDir: string, topic: string, partitions?: readonly number[]): number =>
  partitionLogFiles(kafkaLogDir, topic, partitions).reduce((bytes, file) => bytes + statSync(file).size, 0);

/** Consumer groups on the broker, by id. */
const listGroups = async (brokers: string): Promise<string[]> => {
  const admin = createKafka({ brokers: brokers.split(","), clientId: "bench-fleet-groups" }, silentLogger).admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups.map((g) => g.groupId).sort();
  } finally {
    await admin.disconnect();
  }
};

/** A group id's kind: its prefix up to the process-specific part (`inventory-replica.agent-F001.`, …). */
const groupKind = (groupId: string) => groupId.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){0,4}[0-9a-f]*$/, "…");

/**
 * The previous design's agent: a plain consumer reading every partition of the event topics, counting the
 * bytes of what it receives the way the replica counts its own. Started at the topics' ends.
 */
const startEverythingConsumer = async (brokers: string, topics: readonly string[]) => {
  const kafka = createKafka({ brokers: brokers.split(","), clientId: "bench-fleet-today" }, silentLogger);
  const groupId = `bench-fleet-today-${randomUUID().slice(0, 8)}`;
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  let counting = false;
  let bytes = 0;
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  let fetchedOnce: () => void = () => undefined;
  const fetched = new Promise<void>((resolve) => {
    fetchedOnce = resolve;
  });
  consumer.on(consumer.events.FETCH, () => fetchedOnce());
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: false });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (counting) bytes += recordBytes(batch.messages);
    },
  });
  await joined;
  await fetched;
  return {
    count: (on: boolean) => {
      if (on) bytes = 0;
      counting = on;
      return bytes;
    },
    close: async () => {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
};

/**
 * `figures.fleet`: an agent of the fleet-shaped design in a synthetic chain of `stores` × `skusPerStore` items,
 * seeded straight into the hub's PostgreSQL before the hub's first chain-view flush, so the hub publishes it
 * as its first snapshot. Measures a new agent's bootstrap (process start → /ready) and what it holds, its RSS,
 * the bytes its replica fetches under steady writes across `writingStores` stores against a plain consumer of
 * every event partition (what an agent fetched before), the lag of its own store's rows and of another
 * store's, and the broker's consumer groups across kill -9 restarts. Everything is read through the
 * processes' HTTP APIs, /metrics, PostgreSQL and the broker, never the chain view's records themselves.
 */
export const fleet = async ({ config, log }: FleetDeps) => {
  const f = config.fleet;
  const loadBefore = loadavg().map((l) => round(l, 1));
  const { url: databaseUrl, pool: db } = await freshDatabase(config.pgUrl, DATABASE);
  const prefix = `fleet${randomUUID().slice(0, 6)}.`;
  const logDir = `${config.dataDir}/logs`;
  const processes: ManagedProcess[] = [];
  const common = { KAFKA_BROKERS: config.kafkaBrokers, KAFKA_TOPIC_PREFIX: prefix, LOG_LEVEL: config.logLevel };
  const startHub = (waitFor: "ready" | "listening", env: Record<string, string> = {}) =>
    startNode("fleet-hub", hubProgram(config.systemRoot), f.hubPort, {
      logDir,
      cwd: config.systemRoot,
      waitFor,
      readyTimeoutMs: 10 * 60_000,
      env: {
        ...common,
        DATABASE_URL: databaseUrl,
        HUB_REPLICA_PATH: `${config.dataDir}/replicas/fleet-hub.sqlite`,
        HUB_TOKEN: TOKEN,
        ALLOW_DEV_TOKEN: "true",
        DEV_TOKEN: TOKEN,
        RATE_LIMIT_WRITES_PER_SECOND: "0",
        KAFKA_PARTITIONS: String(f.partitions),
        ...config.hubEnv,
        ...env,
      },
    });

  const stores = Array.from({ length: f.stores }, (_, i) => storeName(i + 1));
  const writing = stores.slice(0, f.writingStores);
  const agentStore = writing[0]!;
  const agentPartition = storePartition(agentStore, f.partitions);
  // Another store's row reaches the agent only through the chain view when the store is on another partition.
  const otherStore = writing.find((s) => storePartition(s, f.partitions) !== agentPartition);
  if (otherStore === undefined) throw new Error("every writing store shares the agent's partition: no other store's row to probe");
  // The two probed stores are written by their probes alone, each at one writing store's share of the rate, so
  // that the agent's own store carries 1/writingStores of the traffic, as the model has it; the rest of the rate
  // goes to the other writing stores at random.
  const probesPerSec = f.writesPerSec / f.writingStores;
  const randomlyWritten = writing.filter((s) => s !== agentStore && s !== otherStore);
  if (randomlyWritten.length === 0) throw new Error("BENCH_FLEET_WRITING_STORES must leave a store besides the two probed ones");
  const probeSku = skuName(0);
  const replicaPath = (name: string) => `${config.dataDir}/replicas/fleet-${name}.sqlite`;
  const removeReplica = (path: string) => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  };
  const startAgent = (name: string, path: string) =>
    startNode(`fleet-agent-${name}`, `${config.systemRoot}/edge-agent/start.sh`, f.agentPort, {
      logDir,
      cwd: config.systemRoot,
      waitFor: "nothing",
      execArgv: config.agentNodeArgs,
      env: { ...common, STORE_ID: agentStore, HUB_URL: `http://127.0.0.1:${f.hubPort}`, AGENT_REPLICA_PATH: path, ...config.agentEnv },
    });
  const stop = async (p: ManagedProcess) => {
    if (processes.includes(p)) processes.splice(processes.indexOf(p), 1);
    await p.stop();
  };

  try {
    // The first start migrates and creates the topics, with no chain view publisher: no flush happens.
    log(`fleet: preparing ${DATABASE} and topics ${prefix}* (${f.partitions} partitions)`);
    await (await startHub("ready", { AVAILABILITY_COALESCE_MS: "0" })).stop();

    log(`fleet: seeding ${f.stores} stores x ${f.skusPerStore} SKUs straight into PostgreSQL`);
    const seedStarted = performance.now();
    await db.query(
      `INSERT INTO stores (store_id, name) SELECT 'F' || lpad(i::text, 3, '0'), 'Fleet store ' || i FROM generate_series(1, $1) AS i`,
      [f.stores],
    );
    await db.query(
      `INSERT INTO products (sku, name) SELECT 'P' || lpad(n::text, 5, '0'), 'Fleet product ' || n FROM generate_series(0, $1 - 1) AS n`,
      [f.skusPerStore],
    );
    await db.query(
      `INSERT INTO stock_items (store_id, sku, on_hand, reserved, version)
       SELECT s.store_id, p.sku, $1, 0, 1 FROM stores s CROSS JOIN products p`,
      [SEED_ON_HAND],
    );
    await db.query("ANALYZE stores; ANALYZE products; ANALYZE stock_items");
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const items = Number((await db.query("SELECT count(*) AS n FROM stock_items")).rows[0].n);

    const hubStarted = performance.now();
    const hub = await startHub("listening");
    processes.push(hub);
    const hubApi = api(hub.url, TOKEN);
    for (;;) {
      hub.assertAlive();
      const done = await db.query("SELECT 1 FROM chain_view_position WHERE name = 'chain-view'");
      if (done.rows.length > 0) break;
      if (performance.now() - hubStarted > 15 * 60_000) throw new Error("the hub published no chain-view snapshot in 15 minutes");
      await sleep(200);
    }
    const snapshotSeconds = (performance.now() - hubStarted) / 1000;
    log(`fleet: the hub published its first snapshot (${items} items) ${snapshotSeconds.toFixed(1)} s after start`);
    // Its own replica loads the same view; the agent is timed on a settled machine.
    await waitForOk(`${hub.url}/ready`, hub.assertAlive, hub.name, 15 * 60_000, 200);
    const hubReadySeconds = (performance.now() - hubStarted) / 1000;

    /** The items a ready agent holds: its own store's rows, and every row the chain totals are summed from. */
    const itemsHeld = async (agent: Api) => {
      let own = 0;
      for (let from = 0; from < f.skusPerStore; from += 200) {
        const skus = Array.from({ length: Math.min(200, f.skusPerStore - from) }, (_, k) => skuName(from + k)).join(",");
        const reply = expectStatus(await agent.get(`/v1/availability:batch?skus=${skus}&storeId=${agentStore}`), 200, "own rows");
        own += (reply.body.items as { perStore: unknown[] }[]).reduce((n, item) => n + item.perStore.length, 0);
      }
      let onHand = 0;
      for (let page = 0; page * 200 < f.skusPerStore; page++) {
        const reply = expectStatus(await agent.get(`/v1/products/totals?page=${page}&size=200`), 200, "totals");
        onHand += (reply.body.items as { totalOnHand: number }[]).reduce((n, item) => n + item.totalOnHand, 0);
      }
      return { own, total: onHand / SEED_ON_HAND };
    };

    // Bootstrap: a new agent (a fresh replica file) from process start to /ready, `runs` times.
    const bootstraps = await repeat(config.runs, async (run) => {
      const path = replicaPath(`bootstrap-${run}`);
      removeReplica(path);
      log(`fleet: bootstrap ${run + 1}, a new agent for ${agentStore}`);
      const started = performance.now();
      const agent = await startAgent(`bootstrap-${run}`, path);
      processes.push(agent);
      await waitForOk(`${agent.url}/ready`, agent.assertAlive, agent.name, 10 * 60_000, 20);
      const seconds = (performance.now() - started) / 1000;
      const rssAtReady = rssMb(agent.pid);
      const loaded = lastChainViewLoad(`${logDir}/${agent.name}.log`);
      await sleep(SETTLE_MS);
      const rssSettled = rssMb(agent.pid);
      const held = run === 0 ? await itemsHeld(api(agent.url, TOKEN)) : undefined;
      const last = run === config.runs - 1;
      if (!last) {
        await stop(agent);
        removeReplica(path);
      }
      return { seconds, rssAtReady, rssSettled, held, loaded, agent: last ? agent : undefined, path };
    });
    const agent = bootstraps[bootstraps.length - 1]!.agent!;
    const agentPath = bootstraps[bootstraps.length - 1]!.path;
    const agentApi = api(agent.url, TOKEN);
    const held = bootstraps[0]!.held!;

    // Probes: one item of the agent's store and one of another store, written by nothing else.
    const versions = new Map<string, number>();
    const probeVersion = async (storeId: string) =>
      Number(
        (await db.query("SELECT version FROM stock_items WHERE store_id = $1 AND sku = $2", [storeId, probeSku])).rows[0]?.version ?? 0,
      );
    for (const s of [agentStore, otherStore]) versions.set(s, await probeVersion(s));
    const commitTimes =
      (await db.query<{ track_commit_timestamp: string }>("SHOW track_commit_timestamp")).rows[0]?.track_commit_timestamp === "on";
    /**
     * Writes the probe item of `storeId` open-loop at `probesPerSec` (each write due at its time, whatever the
     * ones before it are doing) and polls the agent every `pollMs` for the version it shows, until every write
     * has been seen: a write's lag runs from its commit (the commit timestamp of its idempotency record, written
     * in the command's transaction) or its acknowledgement to the first poll that shows its version. Nothing else
     * writes the item, so every version on it is a probe's.
     */
    const probing = async (storeId: string, pollMs: number, until: number) => {
      const started = performance.now();
      const gapMs = 1000 / probesPerSec;
      const ackedAt = new Map<number, number>();
      const seenAt = new Map<number, number>();
      let highestSeen = versions.get(storeId)!;
      let writing = true;
      const writer = (async () => {
        const writes: Promise<void>[] = [];
        for (let i = 0; started + i * gapMs < until; i += 1) {
          await sleep(Math.max(0, started + i * gapMs - performance.now()));
          writes.push(
            hubApi.post("/v1/adjustments", { storeId, sku: probeSku, delta: 1, reason: "restock" }).then((reply) => {
              expectStatus(reply, 202, "probe write");
              ackedAt.set(Number(reply.body.version), performance.now());
            }),
          );
        }
        try {
          await Promise.all(writes);
        } finally {
          writing = false;
        }
      })();
      const unseen = () => [...ackedAt.keys()].some((v) => v > highestSeen);
      while (writing || unseen()) {
        if (performance.now() > until + 30_000) throw new Error(`probes of ${storeId} not visible at the agent within 30 s`);
        const read = await agentApi.get(`/v1/availability?sku=${probeSku}&storeId=${storeId}`);
        const shown = Number(read.body?.perStore?.[0]?.version ?? 0);
        const now = performance.now();
        for (let v = highestSeen + 1; v <= shown; v += 1) seenAt.set(v, now);
        highestSeen = Math.max(highestSeen, shown);
        await sleep(pollMs);
      }
      await writer;
      versions.set(storeId, highestSeen);
      const written = [...ackedAt.keys()];
      const committedAt = new Map<number, number>();
      if (commitTimes)
        for (const row of (
          await db.query<{ version: number; ms: string }>(
            `SELECT (response->'body'->>'version')::int AS version, extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS ms
             FROM idempotency_records
             WHERE response->'body'->>'storeId' = $1 AND response->'body'->>'sku' = $2 AND (response->'body'->>'version')::int = ANY($3::int[])`,
            [storeId, probeSku, written],
          )
        ).rows)
          committedAt.set(row.version, Number(row.ms));
      if (commitTimes && written.some((v) => !committedAt.has(v))) throw new Error(`a probe write of ${storeId} has no idempotency record`);
      return written.map((v) => ({
        fromCommitMs: commitTimes ? performance.timeOrigin + seenAt.get(v)! - committedAt.get(v)! : NaN,
        fromAckMs: Math.max(0, seenAt.get(v)! - ackedAt.get(v)!),
      }));
    };
    const lagOf = (samples: { fromCommitMs: number; fromAckMs: number }[]) => {
      const values = samples.map((s) => (commitTimes ? s.fromCommitMs : s.fromAckMs));
      return {
        p50Ms: round(percentile(values, 50), 1),
        p99Ms: round(percentile(values, 99), 1),
        fromAckP99Ms: round(
          percentile(
            samples.map((s) => s.fromAckMs),
            99,
          ),
          1,
        ),
        probes: samples.length,
      };
    };

    // What an agent of the previous design read in full: every event topic.
    const eventTopics = Object.values(TOPICS).map((t) => brokerTopic(prefix, t));
    const writingOnAgentPartition = writing.filter((s) => storePartition(s, f.partitions) === agentPartition);
    const cpuTargets = [
      { name: "hub", pid: hub.pid },
      { name: "agent", pid: agent.pid },
      {
        name: "postgres",
        pid: pidFile(`${config.dataDir}/postgres/postmaster.pid`),
        withChildren: true,
        reaped: true,
      },
      { name: "kafka", pid: pidFile(`${config.dataDir}/kafka/kafka.pid`) },
      { name: "benchClients", pid: process.pid },
    ];

    const kafkaLogDir = `${config.dataDir}/kafka/kraft-logs`;
    // The stored batches of what the agent reads and of every event partition (what the previous design read).
    const stored = () => ({
      agent:
        storedBytes(kafkaLogDir, brokerTopic(prefix, CHAIN_VIEW_TOPIC)) +
        storedBytes(kafkaLogDir, brokerTopic(prefix, TOPICS.stock), [agentPartition]) +
        storedBytes(kafkaLogDir, brokerTopic(prefix, TOPICS.reservation), [agentPartition]) +
        storedBytes(kafkaLogDir, brokerTopic(prefix, TOPICS.transfer)),
      everything: eventTopics.reduce((n, t) => n + storedBytes(kafkaLogDir, t), 0),
    });
    const windows = await repeat(config.runs, async (run) => {
      log(`fleet: window ${run + 1}, ${f.writesPerSec} writes/s over ${f.writingStores} stores for ${f.windowS} s`);
      const everything = await startEverythingConsumer(config.kafkaBrokers, eventTopics);
      try {
        const before = await fetchedBytes(agent.url);
        const storedBefore = stored();
        const cpu = cpuUse(cpuTargets);
        everything.count(true);
        const started = performance.now();
        const until = started + f.windowS * 1000;
        const [load, own, other] = await Promise.all([
          runLoad({
            url: hub.url,
            connections: config.connections,
            durationS: f.windowS,
            overallRate: f.writesPerSec - 2 * probesPerSec,
            next: () => ({
              method: "POST",
              path: "/v1/adjustments",
              headers: writeHeaders(TOKEN),
              body: JSON.stringify({
                storeId: randomlyWritten[Math.floor(Math.random() * randomlyWritten.length)],
                sku: skuName(1 + Math.floor(Math.random() * (f.skusPerStore - 1))),
                delta: 1,
                reason: "restock",
              }),
            }),
          }),
          probing(agentStore, 2, until),
          probing(otherStore, 20, until),
        ]);
        // What was written by the window's end reaches both readers within a fetch: give it that long.
        await sleep(1500);
        const seconds = (performance.now() - started) / 1000;
        const after = await fetchedBytes(agent.url);
        const storedAfter = stored();
        const todayBytes = everything.count(false);
        const cpuPct = cpu.stop();
        const byTopic = Object.fromEntries(
          Object.keys(after).map((t) => [t.slice(prefix.length), Math.round((after[t]! - (before[t] ?? 0)) / seconds)]),
        );
        const perSec = Object.values(byTopic).reduce((a, b) => a + b, 0);
        const wire = (side: "agent" | "everything") => Math.round((storedAfter[side] - storedBefore[side]) / seconds);
        return {
          bytesPerSec: perSec,
          byTopic,
          todayBytesPerSec: Math.round(todayBytes / seconds),
          wireBytesPerSec: wire("agent"),
          todayWireBytesPerSec: wire("everything"),
          // The random writes served and the probes' (each probe write is acknowledged or the run fails).
          writesOkPerSec: load.okPerSec + (own.length + other.length) / f.windowS,
          seconds: f.windowS,
          writeStatus: load.statusCounts,
          own: lagOf(own),
          other: lagOf(other),
          cpuPct,
          loadAverage: loadavg().map((l) => round(l, 1)),
        };
      } finally {
        await everything.close();
      }
    });
    const rssAfterLoad = rssMb(agent.pid);

    // Five kill -9 restarts of the same agent (same replica file): the broker's groups before and after.
    const groupsBefore = await listGroups(config.kafkaBrokers);
    let current = agent;
    const restartSeconds: number[] = [];
    for (let restart = 1; restart <= f.restarts; restart++) {
      process.kill(current.pid, "SIGKILL");
      await stop(current);
      const started = performance.now();
      current = await startAgent(`restart-${restart}`, agentPath);
      processes.push(current);
      await waitForOk(`${current.url}/ready`, current.assertAlive, current.name, 5 * 60_000, 20);
      restartSeconds.push((performance.now() - started) / 1000);
    }
    const rssAfterRestarts = rssMb(current.pid);
    const groupsAfter = await listGroups(config.kafkaBrokers);
    const added = groupsAfter.filter((g) => !groupsBefore.includes(g));
    const addedByKind: Record<string, number> = {};
    for (const g of added) addedByKind[groupKind(g)] = (addedByKind[groupKind(g)] ?? 0) + 1;

    const codecs = {
      chainView: batchCodecs(kafkaLogDir, brokerTopic(prefix, CHAIN_VIEW_TOPIC)),
      stockEvents: batchCodecs(kafkaLogDir, brokerTopic(prefix, TOPICS.stock)),
    };
    const compressed = Object.values(codecs).some((c) => Object.keys(c).some((codec) => codec !== "none"));

    const bytes = spread(windows.map((w) => w.bytesPerSec));
    const today = spread(windows.map((w) => w.todayBytesPerSec));
    // In thousandths: spread rounds to one decimal.
    const fetchedPerMille = spread(windows.map((w) => (1000 * w.bytesPerSec) / w.todayBytesPerSec));
    const bootstrapSeconds = spread(bootstraps.map((b) => b.seconds));
    const loadRecordsPerSec = spread(bootstraps.map((b) => Math.round((b.loaded.records * 1000) / b.loaded.ms)));
    const rssSettled = spread(bootstraps.map((b) => b.rssSettled));
    // The larger of the agent's footprint once its bootstrap settled and after the steady writes.
    const agentRssMb = Math.max(rssAfterLoad, rssSettled.median);
    const own = spread(windows.map((w) => w.own.p99Ms));
    const other = spread(windows.map((w) => w.other.p99Ms));
    const middle = windows[Math.floor(windows.length / 2)]!;
    return {
      stores: f.stores,
      skusPerStore: f.skusPerStore,
      items,
      agents: 1,
      agentStore,
      partitions: f.partitions,
      bootstrapSeconds: bootstrapSeconds.median,
      bootstrapSecondsSpread: bootstrapSeconds,
      bootstrapItems: held.total,
      // The load alone, as the agent logs it (records staged and merged, over its milliseconds): no process start.
      loadRecords: bootstraps[0]!.loaded.records,
      loadRecordsPerSec: loadRecordsPerSec.median,
      loadRecordsPerSecSpread: loadRecordsPerSec,
      bootstrapOwnStoreItems: held.own,
      ownStoreLagP99Ms: own.median,
      ownStoreLagP50Ms: spread(windows.map((w) => w.own.p50Ms)).median,
      ownStoreLagSpread: own,
      chainViewLagP99Ms: other.median,
      chainViewLagP50Ms: spread(windows.map((w) => w.other.p50Ms)).median,
      chainViewLagSpread: other,
      lagMeasuredFrom: commitTimes ? "commit (PostgreSQL commit timestamp)" : "acknowledgement (track_commit_timestamp is off)",
      chainViewProbeStore: otherStore,
      probesPerRun: windows.map((w) => ({ ownStore: w.own.probes, chainView: w.other.probes })),
      // The agent's own store's share of the writes, asked and served (its probes are its only writes).
      ownStoreWritesPerSecAsked: round(probesPerSec, 1),
      ownStoreWritesPerSec: round(spread(windows.map((w) => w.own.probes / w.seconds)).median, 1),
      bytesFetchedPerAgentPerSec: bytes.median,
      bytesFetchedSpread: bytes,
      bytesFetchedByTopic: middle.byTopic,
      // The agent's live change stream (GET /v1/stock/stream) reads its store's stock partition a second time,
      // outside the replica's counter: about the replica's own stock.events bytes again.
      changeStreamBytesPerSecEstimate: middle.byTopic["stock.events"] ?? 0,
      bytesFetchedTodayPerAgentPerSec: today.median,
      // On the wire: the growth of the stored record batches each side reads, compressed as the producers sent them.
      wireBytesPerAgentPerSec: spread(windows.map((w) => w.wireBytesPerSec)).median,
      wireBytesTodayPerAgentPerSec: spread(windows.map((w) => w.todayWireBytesPerSec)).median,
      wireRatio: round(spread(windows.map((w) => (1000 * w.wireBytesPerSec) / w.todayWireBytesPerSec)).median / 1000, 3),
      bytesFetchedTodaySpread: today,
      fetchedRatio: round(fetchedPerMille.median / 1000, 3),
      fetchedRatioRuns: fetchedPerMille.runs.map((r) => round(r / 1000, 3)),
      // Served: acknowledged writes over the run until the last answer, under the asked open-loop rate when the machine lags.
      writesPerSec: round(spread(windows.map((w) => w.writesOkPerSec)).median, 0),
      writesPerSecAsked: f.writesPerSec,
      writingStores: f.writingStores,
      writingStoresOnAgentPartition: writingOnAgentPartition.length,
      windowS: f.windowS,
      writeStatus: windows.map((w) => w.writeStatus),
      consumerGroupsBeforeRestarts: groupsBefore.length,
      consumerGroupsAfterRestarts: groupsAfter.length,
      consumerGroupsAdded: addedByKind,
      restarts: f.restarts,
      restartReadySeconds: restartSeconds.map((s) => round(s, 1)),
      agentRssMb,
      agentRssAtReadyMb: spread(bootstraps.map((b) => b.rssAtReady)),
      agentRssSettledMb: rssSettled,
      agentRssAfterLoadMb: rssAfterLoad,
      agentRssAfterRestartsMb: rssAfterRestarts,
      compressed,
      batchCodecs: codecs,
      seedSeconds: round(seedSeconds, 1),
      snapshotSeconds: round(snapshotSeconds, 1),
      hubReadySeconds: round(hubReadySeconds, 1),
      coalesceMs: Number(config.hubEnv.AVAILABILITY_COALESCE_MS ?? 1000),
      observed: middle.cpuPct,
      loadAverage: { before: loadBefore, windows: windows.map((w) => w.loadAverage), after: loadavg().map((l) => round(l, 1)) },
      goals: {
        bootstrapWithin10s: bootstrapSeconds.median <= 10,
        loadAtLeast150kPerSec: loadRecordsPerSec.median >= 150_000,
        rssWithin150Mb: agentRssMb <= 150,
        fetchedAtMostATenth: fetchedPerMille.median <= 100,
        noNewGroups: added.length === 0,
      },
    };
  } finally {
    for (const p of processes.splice(0).reverse()) await p.stop().catch(() => undefined);
    await db.end();
  }
};
