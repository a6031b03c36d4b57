import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafka, silentLogger, storeAffinePartitioner } from "@inventory/platform";
import { eventually } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";
import { storeRegisteredEvent } from "./harness/events.js";

let system: TestSystem;
const operator = { Authorization: `Bearer ${tokenFor("operator")}` };

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(system, ["S1"], [{ sku: "O1", perStore: { S1: 10 } }]);
});
afterAll(() => system?.close());

const produce = async (topic: string, key: string, value: string) => {
  const kafka = createKafka({ brokers: [system.kafkaBrokers], clientId: "e2e-injector" }, silentLogger);
  // Keyed as the hub keys them, so the message lands on the partition its store's agent reads.
  const producer = kafka.producer({ createPartitioner: storeAffinePartitioner });
  await producer.connect();
  await producer.send({ topic: `${system.topicPrefix}${topic}`, messages: [{ key, value }] });
  await producer.disconnect();
};
const deadLetters = async () => (await system.hub.get("/v1/dlt?topic=stock.events", operator)).body.items as any[];

describe("dead letters", () => {
  it("a poison message lands in the DLT, the replicas stay current, and a replay after a fix applies it", async () => {
    await produce("stock.events", "S1:O1", "{not json");
    const after = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "O1", delta: 1, reason: "restock" });
    await eventually(async () => {
      const read = await system.agent("S1").get("/v1/availability?sku=O1&storeId=S1");
      expect(read.body.perStore[0].version).toBe(after.body.version);
    });
    const letters = await eventually(async () => {
      const items = await deadLetters();
      expect(items.map((l) => l.replicaId).sort()).toEqual(["agent-S1", "hub-hub"]);
      return items;
    });
    console.log(`poison message dead-lettered by: ${letters.map((l) => `${l.replicaId} (${l.error})`).join(", ")}`);
    expect(letters[0]).toMatchObject({ topic: "stock.events", key: "S1:O1", error: "not JSON", attempts: 1 });

    // A message an older replica could not apply: dead-lettered with a well-formed event inside.
    const fixed = storeRegisteredEvent("REPLAYED", "Applied after replay", "dlt-replay");
    await produce("stock.events.dlt", "REPLAYED", JSON.stringify(fixed));
    const pending = await eventually(async () => {
      const items = await deadLetters();
      const found = items.find((l) => l.key === "REPLAYED");
      expect(found).toBeDefined();
      return found;
    });
    const replay = await system.hub.post(
      "/v1/dlt/replay",
      { topic: "stock.events", messageIds: [pending.messageId, "0-999999"] },
      { token: tokenFor("operator") },
    );
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ replayed: [pending.messageId], alreadyReplayed: [], unknown: ["0-999999"] });
    const twice = await system.hub.post(
      "/v1/dlt/replay",
      { topic: "stock.events", messageIds: [pending.messageId] },
      { token: tokenFor("operator") },
    );
    expect(twice.body).toEqual({ replayed: [], alreadyReplayed: [pending.messageId], unknown: [] });
    // The replayed event is keyed by a store no agent here serves, so it lands on that store's partition:
    // the hub's replica, which reads every partition, applies it.
    await eventually(async () => {
      const stores = await system.hub.get("/v1/stores");
      expect(stores.body.items.map((s: { storeId: string }) => s.storeId)).toContain("REPLAYED");
    });
    expect((await deadLetters()).find((l) => l.key === "REPLAYED")).toBeUndefined();
  });

  it("a poison message on transfer.events is dead-lettered and transfers keep moving", async () => {
    await produce("transfer.events", "bad", "{not json");
    await system.hub.post("/v1/stores", { storeId: "S2", name: "Two" });
    const res = await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S2", lines: [{ sku: "O1", qty: 1 }] });
    await eventually(
      async () => {
        const row = await system.db.query("SELECT status FROM transfers WHERE transfer_id = $1", [res.body.transferId]);
        expect(row.rows[0].status).toBe("COMPLETED");
      },
      30_000,
      100,
    );
    await eventually(async () => {
      const items = (await system.hub.get("/v1/dlt?topic=transfer.events", operator)).body.items as any[];
      expect(items.some((l) => l.replicaId === "hub-hub" && l.key === "bad")).toBe(true);
    });
  });

  it("is an operator's tool: others get 403, no token 401", async () => {
    expect((await system.hub.get("/v1/dlt", { Authorization: `Bearer ${tokenFor("backoffice")}` })).status).toBe(403);
    expect((await system.hub.get("/v1/dlt")).status).toBe(401);
    expect((await system.hub.get("/v1/dlt?topic=nope", operator)).status).toBe(400);
  });
});

describe("stored idempotent answers", () => {
  it("shows the fingerprint, status, response and time of a key; 404 for an unknown one", async () => {
    const key = randomUUID();
    const admin = tokenFor("admin", { subject: "inspector" });
    const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "O1", delta: 2, reason: "restock" }, { key, token: admin });
    const stored = await system.hub.get(`/v1/idempotency/${key}`, { Authorization: `Bearer ${admin}` });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ key, scope: "inspector", status: 202, response: res.body, fingerprint: expect.any(String) });
    expect(Date.parse(stored.body.createdAt)).toBeGreaterThan(0);
    const viaOperator = await system.hub.get(`/v1/idempotency/${key}?scope=inspector`, operator);
    expect(viaOperator.body.response).toEqual(res.body);
    expect((await system.hub.get(`/v1/idempotency/${randomUUID()}`, operator)).status).toBe(404);
  });
});

describe("projection status", () => {
  it("reports the hub's replica per partition, its lag and the outbox", async () => {
    const status = await system.hub.get("/v1/projections/status", operator);
    expect(status.status).toBe(200);
    expect(status.body.projections[0]).toMatchObject({ projection: "hub:hub", state: "RUNNING", caughtUp: true });
    expect(status.body.projections[0].partitions.length).toBeGreaterThan(0);
    expect(status.body.outbox).toMatchObject({ leader: true, backlog: 0 });
  });
});

describe("metrics", () => {
  it("hub and agent expose Prometheus metrics: requests, command outcomes, outbox, projection", async () => {
    await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "O1", delta: -1_000_000, reason: "sale" });
    await system.agent("S1").get("/v1/availability?sku=O1");
    const hub = await fetch(`${system.hubUrl}/metrics`).then((r) => r.text());
    expect(hub).toMatch(/inventory_http_requests_total\{[^}]*route="\/v1\/adjustments"[^}]*\} \d+/);
    expect(hub).toMatch(/inventory_command_outcomes_total\{[^}]*code="INSUFFICIENT_STOCK"[^}]*\} [1-9]/);
    expect(hub).toMatch(/inventory_outbox_published_total\{[^}]*\} [1-9]/);
    expect(hub).toMatch(/inventory_outbox_backlog\{[^}]*\} 0/);
    expect(hub).toMatch(/inventory_dead_letters_total\{[^}]*topic="t[0-9a-f]+\.stock\.events"[^}]*\} [1-9]/);
    const agent = await fetch(`${system.agentUrl("S1")}/metrics`).then((r) => r.text());
    expect(agent).toMatch(/inventory_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/availability"/);
    expect(agent).toMatch(/inventory_projection_events_total\{[^}]*outcome="applied"[^}]*\} [1-9]/);
    expect(agent).toMatch(/inventory_consumer_lag_messages\{/);
    expect(agent).toMatch(/inventory_process_resident_memory_bytes/);
  });
});

describe("rebuild", () => {
  it("replays a replica from offset zero while the old one serves, then every read answers as before", async () => {
    const reads = ["/v1/items/O1/availability", "/v1/products/totals", "/v1/stores"];
    for (const [name, client] of [
      ["agent", system.agent("S1")],
      ["hub", system.hub],
    ] as const) {
      // The dead-letter test's REPLAYED store exists only on Kafka, never in PostgreSQL: a rebuild loads the
      // catalogue from the chain view (PostgreSQL's state), so it rightly leaves that store out.
      const withoutKafkaOnly = (r: { body: { items?: { storeId?: string }[] } }) =>
        r.body.items ? { ...r.body, items: r.body.items.filter((s) => s.storeId !== "REPLAYED") } : r.body;
      // The agent's rows of other stores come from the coalesced chain view: wait out its window, so that what
      // is read before the rebuild is the whole state (what the hub's replica answers).
      await eventually(async () => {
        for (const path of reads) {
          const [mine, hubs] = await Promise.all([client.get(path), system.hub.get(path)]);
          expect(`${path} ${JSON.stringify(withoutKafkaOnly(mine))}`).toBe(`${path} ${JSON.stringify(withoutKafkaOnly(hubs))}`);
        }
      }, 10_000);
      const before = await Promise.all(reads.map((path) => client.get(path)));
      const started = await client.post("/v1/projections/rebuild", {}, { token: tokenFor("operator") });
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ state: "REBUILDING" });
      const during = await client.get("/v1/items/O1/availability");
      expect(during.status).toBe(200);
      await eventually(
        async () => {
          const status = await client.get("/v1/projections/status", operator);
          expect(status.body.projections[0].rebuild).toMatchObject({ state: "IDLE", finishedAt: expect.any(String) });
        },
        30_000,
        200,
      );
      const after = await Promise.all(reads.map((path) => client.get(path)));
      for (let i = 0; i < reads.length; i++) {
        // As strings, so a difference is shown whole.
        expect(`${name} ${reads[i]} ${JSON.stringify(withoutKafkaOnly(after[i]!))}`).toBe(
          `${name} ${reads[i]} ${JSON.stringify(withoutKafkaOnly(before[i]!))}`,
        );
        if (JSON.stringify(after[i]!.body) === JSON.stringify(before[i]!.body))
          expect(after[i]!.headers.get("etag")).toBe(before[i]!.headers.get("etag"));
      }
    }
    expect((await system.agent("S1").post("/v1/projections/rebuild", {}, { token: tokenFor("clerk", { stores: ["S1"] }) })).status).toBe(
      403,
    );
  });
});

describe("agents reporting in", () => {
  it("the hub's projection status lists each agent's replica, reported with the agent's own credential", async () => {
    await eventually(async () => {
      const status = await system.hub.get("/v1/projections/status", operator);
      const agent = status.body.projections.find((p: { projection: string }) => p.projection === "agent-S1");
      expect(agent).toMatchObject({ storeId: "S1", state: "RUNNING", caughtUp: true, lagMs: 0 });
      expect(agent.partitions.length).toBeGreaterThan(0);
      expect(agent.eventsApplied).toBeGreaterThan(0);
    });
    const forged = await system.hub.post(
      "/v1/projections/report",
      {
        projection: "agent-S2",
        storeId: "S2",
        state: "RUNNING",
        lagMs: 0,
        caughtUp: true,
        lastError: null,
        eventsApplied: 0,
        rebuild: { state: "IDLE" },
        partitions: [],
      },
      { token: tokenFor("agent", { stores: ["S1"] }) },
    );
    expect(forged.status).toBe(403);
    const impersonated = await system.hub.post(
      "/v1/projections/report",
      {
        projection: "agent-S2",
        storeId: "S1",
        state: "RUNNING",
        lagMs: 0,
        caughtUp: true,
        lastError: null,
        eventsApplied: 0,
        rebuild: { state: "IDLE" },
        partitions: [],
      },
      { token: tokenFor("agent", { stores: ["S1"] }) },
    );
    expect(impersonated.status).toBe(400);
  });
});
