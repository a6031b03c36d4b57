import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssignerProtocol } from "kafkajs";
import { createKafka, createKafkaPublisher, silentLogger, storePartition } from "@inventory/platform";
import { itemKey } from "@inventory/shared";
import { eventually, sleep } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { steadyWriteLoad } from "./harness/write-load.js";
import { tokenFor } from "./harness/tokens.js";

/** The hub's default partition count, which the test system keeps. */
const PARTITIONS = 6;
/** Four stores on four different partitions, so each agent's partition carries only its own store's items. */
const STORES = Array.from({ length: 40 }, (_, i) => `CV${i}`)
  .filter((s, i, all) => all.findIndex((o) => storePartition(o, PARTITIONS) === storePartition(s, PARTITIONS)) === i)
  .slice(0, 4);
const SKUS = Array.from({ length: 8 }, (_, i) => `CVS-${i}`);
const [FIRST, NEW_STORE, LEGACY_STORE] = [STORES[0]!, STORES[1]!, STORES[3]!];
/** An item whose chain-view record the test publishes in the object form that came before the compact one. */
const LEGACY_SKU = "CVS-LEGACY";
let system: TestSystem;

const kafka = () => createKafka({ brokers: [system.kafkaBrokers], clientId: "e2e-agent-chain-view" }, silentLogger);

/** What the broker says the agent's one group member was given. */
const assignmentOf = async (storeId: string) => {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const ids = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`inventory-replica.agent-${storeId}.`));
    expect(ids).toHaveLength(1);
    const { groups } = await admin.describeGroups(ids);
    const members = groups[0]!.members;
    expect(members.length).toBeGreaterThan(0);
    return AssignerProtocol.MemberAssignment.decode(members[0]!.memberAssignment)!.assignment;
  } finally {
    await admin.disconnect();
  }
};

/** Events (not chain-view records) the agent's feed handled since its process started. */
const eventsHandledThisRun = async (storeId: string) => {
  const text = await (await fetch(`${system.agentUrl(storeId)}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  return text
    .split("\n")
    .filter((l) => l.startsWith("inventory_projection_events_total{") && !l.includes("availability.latest"))
    .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
};

const expectOwnStoreMatches = async (storeId: string) => {
  const { rows } = await system.db.query<{ sku: string; on_hand: number; reserved: number; version: number }>(
    "SELECT sku, on_hand, reserved, version FROM stock_items WHERE store_id = $1 AND sku = ANY($2) ORDER BY sku",
    [storeId, SKUS],
  );
  expect(rows.length).toBe(SKUS.length);
  for (const row of rows) {
    const res = await system.agent(storeId).get(`/v1/availability?sku=${row.sku}&storeId=${storeId}`);
    expect(res.status).toBe(200);
    expect(res.body.perStore[0]).toMatchObject({ onHand: row.on_hand, reserved: row.reserved, version: row.version });
    expect(Number(res.headers.get("x-projection-lag-ms"))).toBe(0);
  }
};

const expectChainMatchesHub = async (storeId: string) => {
  for (const sku of SKUS) {
    const [atHub, atAgent] = await Promise.all([
      system.hub.get(`/v1/items/${sku}/availability`),
      system.agent(storeId).get(`/v1/items/${sku}/availability`),
    ]);
    expect(atAgent.body).toEqual(atHub.body);
  }
};

beforeAll(async () => {
  expect(STORES).toHaveLength(4);
  system = await startSystem({ hubEnv: { AVAILABILITY_COALESCE_MS: "500" } });
  await seedCatalog(system, STORES, [
    ...SKUS.map((sku) => ({ sku, perStore: Object.fromEntries(STORES.map((s) => [s, 100])) })),
    { sku: LEGACY_SKU, perStore: { [LEGACY_STORE]: 5 } },
  ]);
  await system.startAgent(FIRST);
});
afterAll(() => system?.close());

describe("an agent fed by its store's partition and the chain view", () => {
  it("is given only its store's partition of the per-store topics and every partition of the chain view, and serves the whole chain", async () => {
    const assignment = await assignmentOf(FIRST);
    const own = storePartition(FIRST, PARTITIONS);
    const all = Array.from({ length: PARTITIONS }, (_, p) => p);
    expect(assignment[`${system.topicPrefix}stock.events`]).toEqual([own]);
    expect(assignment[`${system.topicPrefix}reservation.events`]).toEqual([own]);
    expect([...(assignment[`${system.topicPrefix}availability.latest`] ?? [])].sort()).toEqual(all);
    await eventually(() => expectOwnStoreMatches(FIRST), 15_000, 300);
    await eventually(() => expectChainMatchesHub(FIRST), 15_000, 300);
    // Another store's row comes from the coalesced view: its lag is the view's staleness, not the feed's 0.
    const other = await system.agent(FIRST).get(`/v1/availability?sku=${SKUS[0]}&storeId=${STORES[2]}`);
    expect(other.status).toBe(200);
    expect(Number(other.headers.get("x-projection-lag-ms"))).toBeGreaterThan(0);
    expect(Number(other.headers.get("x-projection-lag-ms"))).toBeLessThan(5000);
  });

  it("given writes going on, when a new store's agent starts with an empty replica, then it loads the chain view, continues the events from the view's offsets, and its store equals PostgreSQL's without the history replayed", async () => {
    const eventsOfNewStore = async () =>
      Number((await system.db.query("SELECT count(*)::int AS n FROM outbox WHERE store_id = $1", [NEW_STORE])).rows[0].n);
    const load = steadyWriteLoad(system, { workers: 3, stores: STORES, skus: SKUS });
    await sleep(8000);
    // A record in the object form, as a view published before the compact form still holds for unchanged items.
    const legacy = {
      storeId: LEGACY_STORE,
      sku: LEGACY_SKU,
      onHand: 42,
      reserved: 2,
      inTransit: 1,
      available: 40,
      version: 50,
      lastEventAt: "2026-01-02T03:04:05.678Z",
    };
    const oldPublisher = createKafkaPublisher(kafka());
    await oldPublisher.publish([
      {
        topic: `${system.topicPrefix}availability.latest`,
        key: itemKey(LEGACY_STORE, LEGACY_SKU),
        value: JSON.stringify(legacy),
        headers: {},
      },
    ]);
    await oldPublisher.close();
    const before = await eventsOfNewStore();
    const started = Date.now();
    await system.startAgent(NEW_STORE);
    const readyMs = Date.now() - started;
    await sleep(2000);
    await load.stop();
    const after = await eventsOfNewStore();
    console.log(
      `new agent ready in ${readyMs} ms; ${load.acknowledged.length} writes; its store's events: ${before} before it started, ${after} in all`,
    );
    expect(load.acknowledged.filter((a) => a.storeId === NEW_STORE).length).toBeGreaterThan(10);
    await eventually(() => expectOwnStoreMatches(NEW_STORE), 20_000, 300);
    await eventually(() => expectChainMatchesHub(NEW_STORE), 20_000, 300);
    const legacyRow = await system.agent(NEW_STORE).get(`/v1/availability?sku=${LEGACY_SKU}&storeId=${LEGACY_STORE}`);
    expect(legacyRow.body.perStore).toEqual([legacy]);
    const handled = await eventsHandledThisRun(NEW_STORE);
    console.log(`the new agent handled ${handled} events`);
    // What was written from a coalescing window before the start on, not the store's history.
    expect(handled).toBeLessThan(after - before / 2);
  });

  it("given writes going on, when an agent's replica is rebuilt, then the rebuild loads from the chain view and ends equal to PostgreSQL", async () => {
    const load = steadyWriteLoad(system, { workers: 3, stores: STORES, skus: SKUS });
    await sleep(1000);
    const operator = tokenFor("operator");
    expect((await system.agent(FIRST).post("/v1/projections/rebuild", {}, { token: operator })).status).toBe(202);
    await eventually(
      async () => {
        const status = await system.agent(FIRST).get("/v1/projections/status", { Authorization: `Bearer ${operator}` });
        expect(status.body.projections[0].rebuild).toMatchObject({ state: "IDLE", finishedAt: expect.any(String) });
      },
      30_000,
      200,
    );
    await sleep(1000);
    await load.stop();
    await eventually(() => expectOwnStoreMatches(FIRST), 20_000, 300);
    await eventually(() => expectChainMatchesHub(FIRST), 20_000, 300);
  });
});
