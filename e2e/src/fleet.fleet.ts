import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafka, readTopicToEnd, silentLogger, storePartition } from "@inventory/platform";
import { decodeChainViewItem } from "@inventory/shared";
import { apiClient } from "./harness/http-client.js";
import { eventually, freePort, sleep } from "./harness/infra.js";
import { startProcess, type ManagedProcess } from "./harness/processes.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { steadyWriteLoad } from "./harness/write-load.js";

const STORES = Array.from({ length: 20 }, (_, i) => `F${String(i + 1).padStart(2, "0")}`);
const SKUS = Array.from({ length: 10 }, (_, i) => `FLEET-${i}`);
const NEW_STORE = "F21";
/** The hub's default partition count, which the test system keeps. */
const PARTITIONS = 6;
let system: TestSystem;
let secondHub: ManagedProcess;

const kafka = () => createKafka({ brokers: [system.kafkaBrokers], clientId: "e2e-fleet" }, silentLogger);
const replicaGroups = async () => {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((id) => id.startsWith("inventory-replica."))
      .sort();
  } finally {
    await admin.disconnect();
  }
};
const eventsHandledThisRun = async (storeId: string) => {
  const text = await (await fetch(`${system.agentUrl(storeId)}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  return text
    .split("\n")
    .filter((l) => l.startsWith("inventory_projection_events_total{") && !l.includes("availability.latest"))
    .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
};
const databaseRows = async () =>
  (
    await system.db.query<{ store_id: string; sku: string; on_hand: number; reserved: number; version: number }>(
      "SELECT store_id, sku, on_hand, reserved, version FROM stock_items ORDER BY store_id, sku",
    )
  ).rows;

/** As a till does: a 503 or no answer in time (the hub's database or Kafka briefly out of reach) is retried under the same key. */
const postAnswered = async (path: string, body: Record<string, unknown>) => {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const res = await system.hub.post(path, body, { key }).catch((err: unknown) => {
      if (attempt === 20) throw err;
      return undefined;
    });
    if (res && (res.status !== 503 || attempt === 20)) return res;
    await sleep(200);
  }
};

/** The events on the partitions an agent reads of the per-store topics: what a replay from the start would handle. */
const eventsOnPartitionOf = async (storeId: string, stores: readonly string[]) => {
  const sharing = stores.filter((s) => storePartition(s, PARTITIONS) === storePartition(storeId, PARTITIONS));
  const { rows } = await system.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM outbox WHERE topic IN ('stock.events', 'reservation.events') AND store_id = ANY($1::text[])",
    [sharing],
  );
  return rows[0]!.n;
};

/** Every agent's own store, row by row, equals PostgreSQL's. */
const expectOwnStoresMatch = async (stores: readonly string[]) => {
  const rows = await databaseRows();
  await Promise.all(
    stores.map(async (storeId) => {
      for (const row of rows.filter((r) => r.store_id === storeId)) {
        const res = await system.agent(storeId).get(`/v1/availability?sku=${row.sku}&storeId=${storeId}`);
        expect(res.status).toBe(200);
        expect(res.body.perStore[0]).toMatchObject({ onHand: row.on_hand, reserved: row.reserved, version: row.version });
      }
    }),
  );
};

beforeAll(async () => {
  system = await startSystem({ hubEnv: { HUB_INSTANCE_ID: "hub-a", AVAILABILITY_COALESCE_MS: "1000" } });
  const port = await freePort();
  secondHub = await startProcess("hub", `hub-b-${system.topicPrefix}`, port, {
    KAFKA_BROKERS: system.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: system.topicPrefix,
    DATABASE_URL: system.databaseUrl,
    ALLOW_DEV_TOKEN: "true",
    HUB_INSTANCE_ID: "hub-b",
    HUB_REPLICA_PATH: `${system.replicaDir}/hub-b-${system.topicPrefix}sqlite`,
  });
  await seedCatalog(
    system,
    STORES,
    SKUS.map((sku) => ({ sku, perStore: Object.fromEntries(STORES.map((s) => [s, 100])) })),
  );
  for (let i = 0; i < STORES.length; i += 5) await Promise.all(STORES.slice(i, i + 5).map((s) => system.startAgent(s)));
});
afterAll(async () => {
  await secondHub?.stop();
  await system?.close();
});

describe("a fleet of 20 agents and two hubs", () => {
  it("under steady writes through both hubs, with five agents killed -9 and a new store's agent started, every agent's own store equals PostgreSQL and the chain view the hub's", async () => {
    const t0 = Date.now();
    const groupsBefore = await replicaGroups();
    const load = steadyWriteLoad(system, { workers: 4, stores: STORES, skus: SKUS });
    const viaSecond = apiClient(secondHub.url);
    let secondWrites = 0;
    let writing = true;
    const second = (async () => {
      for (let n = 0; writing; n++) {
        const res = await viaSecond
          .post("/v1/adjustments", { storeId: STORES[n % STORES.length], sku: SKUS[n % SKUS.length], delta: -1, reason: "sale" })
          .catch(() => undefined);
        if (res?.status === 202) secondWrites += 1;
        else await sleep(100);
      }
    })();
    await sleep(3000);
    const crashed = STORES.slice(0, 5);
    const eventsBeforeKill = Number((await system.db.query("SELECT count(*)::int AS n FROM outbox")).rows[0].n);
    await Promise.all(crashed.map((s) => system.stopAgent(s, "SIGKILL")));
    await sleep(1000);
    await Promise.all(crashed.map((s) => system.startAgent(s, { waitForReady: false })));

    // A store opens: registered, stocked, and its agent starts with an empty replica.
    expect((await postAnswered("/v1/stores", { storeId: NEW_STORE, name: "New store" })).status).toBe(201);
    for (const sku of SKUS)
      expect((await postAnswered("/v1/adjustments", { storeId: NEW_STORE, sku, delta: 40, reason: "restock" })).status).toBe(202);
    console.log(`fleet: restarted, new store stocked at ${Date.now() - t0} ms`);
    const bootStarted = Date.now();
    await system.startAgent(NEW_STORE);
    const bootstrapMs = Date.now() - bootStarted;

    await sleep(4000);
    writing = false;
    await Promise.all([load.stop(), second]);
    const eventsInLog = Number((await system.db.query("SELECT count(*)::int AS n FROM outbox")).rows[0].n);
    console.log(
      `fleet: ${load.acknowledged.length} + ${secondWrites} writes through two hubs, ${eventsInLog} events; new store's agent ready in ${bootstrapMs} ms`,
    );
    expect(load.acknowledged.length).toBeGreaterThan(50);
    expect(secondWrites).toBeGreaterThan(10);

    const all = [...STORES, NEW_STORE];
    await eventually(() => expectOwnStoresMatch(all), 60_000, 500);
    console.log(`fleet: own stores matched at ${Date.now() - t0} ms`);
    // The restarted agents resumed from their stored positions, and the new store's agent loaded the chain view:
    // none handled the history of the partition it reads (what a replay from the start would have handled).
    const handled = await Promise.all([...crashed, NEW_STORE].map((s) => eventsHandledThisRun(s)));
    const partitionEvents = await Promise.all([...crashed, NEW_STORE].map((s) => eventsOnPartitionOf(s, all)));
    console.log(
      `fleet: restarted agents and the new one handled ${handled.join(", ")} events of the ${partitionEvents.join(", ")} on their partitions; ${eventsInLog - eventsBeforeKill} written after the kill, ${eventsBeforeKill} before`,
    );
    for (const [i, n] of handled.entries()) expect(n).toBeLessThan(partitionEvents[i]!);
    expect(eventsBeforeKill).toBeGreaterThan(250);

    // Every agent's chain-wide answer equals the hub's, and the compacted chain view equals PostgreSQL within its window.
    await eventually(
      async () => {
        for (const sku of SKUS) {
          const atHub = await system.hub.get(`/v1/items/${sku}/availability`);
          const answers = await Promise.all(all.map((s) => system.agent(s).get(`/v1/items/${sku}/availability`)));
          for (const a of answers) expect(a.body).toEqual(atHub.body);
        }
      },
      30_000,
      500,
    );
    const rows = await databaseRows();
    await eventually(
      async () => {
        const view = new Map(
          (await readTopicToEnd(kafka(), `${system.topicPrefix}availability.latest`, { timeoutMs: 30_000 })).map((m) => [
            m.key!.toString(),
            decodeChainViewItem(m.key!.toString(), m.value),
          ]),
        );
        for (const r of rows) expect(view.get(`${r.store_id}:${r.sku}`)).toMatchObject({ version: r.version, onHand: r.on_hand });
      },
      15_000,
      1000,
    );

    const groupsAfter = await replicaGroups();
    // One group for the new agent; the five restarts added none.
    expect(groupsAfter.length).toBe(groupsBefore.length + 1);
    expect(groupsAfter.filter((g) => !groupsBefore.includes(g)).every((g) => g.startsWith(`inventory-replica.agent-${NEW_STORE}.`))).toBe(
      true,
    );
  });
});
