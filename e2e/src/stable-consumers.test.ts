import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafka, silentLogger } from "@inventory/platform";
import { eventually } from "./harness/infra.js";
import { readWholeTopic } from "./harness/kafka-log.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

const SKUS = Array.from({ length: 30 }, (_, i) => `STABLE-${i}`);
let system: TestSystem;

/** Every replica's and change stream's consumer group on the broker, with its state. */
const processGroups = async () => {
  const admin = createKafka({ brokers: [system.kafkaBrokers], clientId: "e2e-group-count" }, silentLogger).admin();
  await admin.connect();
  try {
    const ids = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((id) => id.startsWith("inventory-replica.") || id.startsWith("inventory-stream."));
    const described = ids.length === 0 ? [] : (await admin.describeGroups(ids)).groups;
    return described.map((g) => ({ groupId: g.groupId, state: g.state, members: g.members.length }));
  } finally {
    await admin.disconnect();
  }
};

const readerGroups = async () => {
  const admin = createKafka({ brokers: [system.kafkaBrokers], clientId: "e2e-group-count" }, silentLogger).admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((id) => id.startsWith("inventory-reader-"))
      .sort();
  } finally {
    await admin.disconnect();
  }
};

/** Events the agent's feed has handled since this process started, from its own /metrics. */
const eventsHandledThisRun = async () => {
  const text = await (await fetch(`${system.agentUrl("S1")}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("inventory_projection_events_total{") && !line.includes("availability.latest"))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
};

const versionAtAgent = async (sku: string) => {
  const res = await system.agent("S1").get(`/v1/availability?sku=${sku}&storeId=S1`);
  expect(res.status).toBe(200);
  return res.body.perStore[0].version as number;
};

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    SKUS.map((sku) => ({ sku, perStore: { S1: 10, S2: 5 } })),
  );
  const last = SKUS[SKUS.length - 1]!;
  await eventually(async () => {
    const res = await system.agent("S1").get(`/v1/availability?sku=${last}`);
    expect(res.body.totalAvailable).toBe(15);
  }, 30_000);
});
afterAll(() => system?.close());

describe("an agent's identity on the broker", () => {
  it("given an agent killed -9 and restarted five times, then no consumer group is added, and each run resumes from its stored positions within seconds while serving reads", async () => {
    const before = await processGroups();
    const eventsInLog = Number((await system.db.query("SELECT count(*)::int AS n FROM outbox")).rows[0].n);
    expect(eventsInLog).toBeGreaterThan(90);
    const resumeMs: number[] = [];
    for (let restart = 1; restart <= 5; restart++) {
      const sku = SKUS[restart]!;
      const served = await versionAtAgent(sku);
      await system.stopAgent("S1", "SIGKILL");
      const write = await system.hub.post("/v1/adjustments", { storeId: "S1", sku, delta: -1, reason: "sale" });
      expect(write.status).toBe(202);
      const started = Date.now();
      await system.startAgent("S1", { waitForReady: false });
      // Reads come from the replica file at once, before the feed has its place in the group back.
      await eventually(async () => expect(await versionAtAgent(sku)).toBeGreaterThanOrEqual(served), 10_000, 20);
      await eventually(async () => expect(await versionAtAgent(sku)).toBe(write.body.version), 20_000, 50);
      resumeMs.push(Date.now() - started);
      // Only the events written since the last run were fetched: no replay of the log.
      expect(await eventsHandledThisRun()).toBeLessThanOrEqual(3);
    }
    console.log(`agent resumed after kill -9 in ${resumeMs.join(", ")} ms; ${eventsInLog} events in the log`);
    expect(Math.max(...resumeMs)).toBeLessThan(15_000);

    const after = await processGroups();
    expect(after.length).toBe(before.length);
    expect(after.map((g) => g.groupId).sort()).toEqual(before.map((g) => g.groupId).sort());
    const active = after.filter((g) => g.groupId.startsWith("inventory-replica.agent-S1.") && g.members > 0);
    expect(active).toHaveLength(1);
  });
});

describe("store-affine partitions", () => {
  it("given writes at two stores, then each store's items and its registration are all on one partition, each item's events in version order", async () => {
    const readersBefore = await readerGroups();
    const messages = await readWholeTopic(system.kafkaBrokers, `${system.topicPrefix}stock.events`);
    // The audit read's throwaway group is gone again.
    expect(await readerGroups()).toEqual(readersBefore);
    const partitionsOf = new Map<string, Set<number>>();
    for (const m of messages) {
      const storeId = m.key.includes(":")
        ? m.key.slice(0, m.key.indexOf(":"))
        : m.event.eventType === "StoreRegistered"
          ? m.key
          : undefined;
      if (storeId === undefined) continue;
      partitionsOf.set(storeId, (partitionsOf.get(storeId) ?? new Set()).add(m.partition));
    }
    expect([...partitionsOf.keys()].sort()).toEqual(["S1", "S2"]);
    for (const partitions of partitionsOf.values()) expect(partitions.size).toBe(1);
    const itemKeys = new Set(messages.filter((m) => m.key.includes(":")).map((m) => m.key));
    expect(itemKeys.size).toBe(2 * SKUS.length);
    for (const key of itemKeys) {
      const versions = messages
        .filter((m) => m.key === key)
        .sort((a, b) => a.offset - b.offset)
        .map((m) => m.event.aggregate.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
  });
});
