/**
 * `npm run bench:peer`: this product and Medusa v2's inventory module side by side, in one run, on the
 * PostgreSQL and Kafka that deploy/bench-peer.sh started. Starts a hub and the peer's HTTP wrapper (two processes), each on
 * a database of its own on that one PostgreSQL server, drives both with the same load generator, and writes
 * bench/results/peer.json plus markdown tables on stdout.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { api } from "../api.js";
import { TOKEN } from "../context.js";
import { describeMachine } from "../machine.js";
import { hubProgram, startNode, type ManagedProcess } from "../processes.js";
import { inventorySubject } from "./inventory-subject.js";
import { medusaSubject } from "./medusa-subject.js";
import { readPeerConfig } from "./peer-config.js";
import { raceTable, spreadTable } from "./peer-report.js";
import { reservationRace } from "./reservation-race.js";
import { spreadAdjustments } from "./spread-adjustments.js";

const config = readPeerConfig();
const startedAt = new Date();
const t0 = performance.now();
const log = (message: string) => console.error(`bench:peer [${Math.round((performance.now() - t0) / 1000)}s] ${message}`);

const HUB_DB = "bench_peer_hub";
const MEDUSA_DB = "bench_peer_medusa";
const admin = new pg.Client({ connectionString: `${config.pgUrl}/inventory` });
await admin.connect();
for (const name of [HUB_DB, MEDUSA_DB]) {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name} OWNER inventory`);
}
await admin.end();
const hubDb = new pg.Pool({ connectionString: `${config.pgUrl}/${HUB_DB}`, max: 2 });
const medusaDb = new pg.Pool({ connectionString: `${config.pgUrl}/${MEDUSA_DB}`, max: 2 });

const processes: ManagedProcess[] = [];
const stopAll = async () => {
  for (const p of processes.splice(0).reverse()) await p.stop().catch(() => undefined);
};
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));

const peerVersions = () => {
  // Read from the files: these packages do not export their package.json.
  const version = (name: string) =>
    (JSON.parse(readFileSync(`${config.peerPrefix}/node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
  return {
    "@medusajs/inventory": version("@medusajs/inventory"),
    "@medusajs/framework": version("@medusajs/framework"),
    "@medusajs/locking": version("@medusajs/locking"),
  };
};

try {
  const logDir = `${config.dataDir}/logs`;
  const loadAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
  log(`starting the hub and the Medusa inventory peer (load average ${loadAtStart.join(" ")} on ${cpus().length} cores)`);
  const hub = await startNode("hub", hubProgram(config.repoRoot), config.hubPort, {
    logDir,
    cwd: config.repoRoot,
    env: {
      KAFKA_BROKERS: config.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: "bench-peer.",
      LOG_LEVEL: config.logLevel,
      DATABASE_URL: `${config.pgUrl}/${HUB_DB}`,
      HUB_REPLICA_PATH: `${config.dataDir}/hub.sqlite`,
      HUB_TOKEN: TOKEN,
      ALLOW_DEV_TOKEN: "true",
      DEV_TOKEN: TOKEN,
      // One caller sends all the load: the per-caller write limit would measure itself.
      RATE_LIMIT_WRITES_PER_SECOND: "0",
    },
  });
  processes.push(hub);
  const peerStarted = performance.now();
  const medusa = await startNode("medusa-inventory", `${config.repoRoot}/bench/dist/peer/medusa-server.js`, config.peerPort, {
    logDir,
    cwd: config.peerPrefix,
    readyTimeoutMs: 300_000,
    env: { PEER_PREFIX: config.peerPrefix, DATABASE_URL: `${config.pgUrl}/${MEDUSA_DB}`, PEER_POOL_MAX: "20", NODE_ENV: "production" },
  });
  processes.push(medusa);
  const peerStartS = Math.round((performance.now() - peerStarted) / 100) / 10;
  // A second server process of the same deployment (horizontal scaling), on the same database, migrations done.
  const medusa2 = await startNode("medusa-inventory-2", `${config.repoRoot}/bench/dist/peer/medusa-server.js`, config.peerPort + 1, {
    logDir,
    cwd: config.peerPrefix,
    readyTimeoutMs: 300_000,
    env: {
      PEER_PREFIX: config.peerPrefix,
      DATABASE_URL: `${config.pgUrl}/${MEDUSA_DB}`,
      PEER_POOL_MAX: "20",
      PEER_MIGRATE: "false",
      NODE_ENV: "production",
    },
  });
  processes.push(medusa2);
  log(`peer ready in ${peerStartS} s (migrations included)`);

  const pidFile = (path: string) => Number(readFileSync(path, "utf8").split("\n")[0]);
  const cpuTargets = [
    { name: "hub", pid: hub.pid },
    { name: "medusa", pid: medusa.pid },
    { name: "medusa2", pid: medusa2.pid },
    { name: "postgres", pid: pidFile(`${config.dataDir}/postgres/postmaster.pid`), withChildren: true, reaped: true },
    { name: "kafka", pid: pidFile(`${config.dataDir}/kafka/kafka.pid`) },
    { name: "benchClients", pid: process.pid, reaped: true },
  ];
  const ours = inventorySubject(api(hub.url, TOKEN), hub.url, hubDb);
  const peerLocked = medusaSubject("Medusa: cart completion (Locking module)", medusa.url, medusaDb, true);
  const peerAlone = medusaSubject("Medusa: module calls alone", medusa.url, medusaDb, false);
  const peerTwo = {
    ...medusaSubject("Medusa: cart completion, 2 server processes", medusa.url, medusaDb, true),
    urls: [medusa.url, medusa2.url],
  };
  const machine = {
    ...(await describeMachine(hubDb, config.repoRoot, config.pgBin)),
    peer: peerVersions(),
    loadAverageAtStart: loadAtStart,
  };

  const spread = await spreadAdjustments([ours, { ...peerLocked, name: "Medusa" }], {
    ...config,
    items: config.spreadItems,
    cpuTargets,
    log,
  });
  const race = await reservationRace([ours, peerLocked, peerTwo, peerAlone], { ...config, cpuTargets, log });
  const loadAtEnd = loadavg().map((n) => Math.round(n * 100) / 100);
  await stopAll();

  const result = {
    startedAt: startedAt.toISOString(),
    totalSeconds: Math.round((performance.now() - t0) / 1000),
    settings: {
      runs: config.runs,
      durationS: config.durationS,
      connections: config.connections,
      buyers: config.buyers,
      units: config.units,
      spreadItems: config.spreadItems,
      peerPoolMax: 20,
      hubPoolSize: 20,
      peerStartSeconds: peerStartS,
      note: "both systems are separate Node processes answering HTTP on the same machine, PostgreSQL server and load generator; the peer is Medusa's inventory module loaded standalone with MedusaApp behind a minimal node:http wrapper (bench/src/peer/medusa-server.ts); throughput closed-loop at saturation, p99 also open-loop at half rate",
    },
    machine: { ...machine, loadAverageAtEnd: loadAtEnd },
    figures: { spreadAdjustments: spread, reservationRace: race },
  };
  mkdirSync(`${config.repoRoot}/bench/results`, { recursive: true });
  writeFileSync(`${config.repoRoot}/bench/results/peer.json`, `${JSON.stringify(result, null, 2)}\n`);
  const busiest = Math.max(...Object.values(spread).flatMap((f) => f.measuredAtSaturation.map((m) => m.cpuPct.other ?? 0)));
  console.log(
    [
      `## A peer, side by side (median of ${config.runs} runs)`,
      "",
      `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}; Medusa @medusajs/inventory ${machine.peer["@medusajs/inventory"]} with @medusajs/framework ${machine.peer["@medusajs/framework"]}; everything on one machine.`,
      `Load average ${loadAtStart.join(" ")} at the start, ${loadAtEnd.join(" ")} at the end; processes outside the comparison used up to ${busiest} % of a core during the spread runs.`,
      "",
      spreadTable(spread, config.durationS, config.connections, config.spreadItems),
      "",
      raceTable(race),
      "",
      `Full results: bench/results/peer.json (${result.totalSeconds} s in all)`,
    ].join("\n"),
  );
} finally {
  await stopAll();
  await hubDb.end();
  await medusaDb.end();
}
