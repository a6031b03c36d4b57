import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "A1", perStore: { S1: 10, S2: 3 } },
      { sku: "B2", perStore: { S2: 7 } },
    ],
  );
  for (const client of [system.hub, system.agent("S1")]) {
    await eventually(async () => expect((await client.get("/v1/availability?sku=B2&storeId=S2")).body.perStore?.[0]?.onHand).toBe(7));
  }
});
afterAll(async () => {
  await system?.close();
});

const clients = () =>
  [
    ["hub", system.hub],
    ["agent", system.agent("S1")],
  ] as const;

describe("batch availability", () => {
  it("answers every SKU in the shape of a single read, and names the unknown ones", async () => {
    for (const [, client] of clients()) {
      const batch = await client.get("/v1/availability:batch?skus=B2,NOPE,A1,B2");
      expect(batch.status).toBe(200);
      expect(batch.headers.get("x-projection-lag-ms")).toMatch(/^\d+$/);
      const singles = await Promise.all(["B2", "A1"].map(async (sku) => (await client.get(`/v1/availability?sku=${sku}`)).body));
      expect(batch.body).toEqual({ items: singles, notFound: ["NOPE"] });
    }
  });

  it("narrows every item to one store with storeId", async () => {
    for (const [, client] of clients()) {
      const batch = await client.get("/v1/availability:batch?skus=A1,B2&storeId=S1");
      expect(
        batch.body.items.map((i: { sku: string; perStore: { storeId: string; onHand: number }[] }) => [
          i.sku,
          i.perStore.map((r) => `${r.storeId}:${r.onHand}`),
        ]),
      ).toEqual([
        ["A1", ["S1:10"]],
        ["B2", []],
      ]);
      expect((await client.get("/v1/availability:batch?skus=A1&storeId=NOPE")).status).toBe(404);
    }
  });

  it("has one ETag for the whole answer: 304 while nothing changed, a new one after a change", async () => {
    const first = await system.agent("S1").get("/v1/availability:batch?skus=A1,B2");
    const tag = first.headers.get("etag")!;
    expect((await system.agent("S1").get("/v1/availability:batch?skus=A1,B2", { "If-None-Match": tag })).status).toBe(304);
    expect((await system.hub.post("/v1/adjustments", { storeId: "S2", sku: "B2", delta: -1, reason: "sale" })).status).toBe(202);
    await eventually(async () => {
      const after = await system.agent("S1").get("/v1/availability:batch?skus=A1,B2", { "If-None-Match": tag });
      expect(after.status).toBe(200);
      expect(after.headers.get("etag")).not.toBe(tag);
    });
  });

  it("refuses a missing or empty list, a bad SKU and more than 200 SKUs with 400", async () => {
    const tooMany = Array.from({ length: 201 }, (_, i) => `S${i}`).join(",");
    for (const [, client] of clients()) {
      for (const query of ["", "?skus=", "?skus=A1,,B2", "?skus=A1,b%20d", `?skus=${tooMany}`]) {
        const res = await client.get(`/v1/availability:batch${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.code).toBe("VALIDATION_ERROR");
      }
      const max = Array.from({ length: 200 }, (_, i) => `S${i}`).join(",");
      const ok = await client.get(`/v1/availability:batch?skus=${max}`);
      expect(ok.status).toBe(200);
      expect(ok.body.notFound).toHaveLength(200);
    }
  });
});

const tokenNaming = (entries: [string, string, number][]) => `c1.${Buffer.from(JSON.stringify(entries)).toString("base64url")}`;

describe("read-your-writes with X-Consistency-Token", () => {
  it("every accepted write answers a token, its replay the same one; a refusal none", async () => {
    const key = `ryw-${Date.now()}`;
    const write = await system.agent("S1").post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: 1, reason: "restock" }, { key });
    expect(write.status).toBe(202);
    const token = write.headers.get("x-consistency-token");
    expect(token).toMatch(/^c1\.[A-Za-z0-9_-]+$/);
    const replay = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: 1, reason: "restock" }, { key });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("x-consistency-token")).toBe(token);
    const refused = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: -1_000_000, reason: "sale" });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("x-consistency-token")).toBeNull();
  });

  it("a read at the agent right after a write at the hub waits for it and shows it, 20 times in a row (another store's row: through the coalesced chain view, so it asks to wait up to 3 s)", async () => {
    for (let i = 0; i < 20; i++) {
      const write = await system.hub.post("/v1/adjustments", { storeId: "S2", sku: "A1", delta: i % 2 ? -1 : 1, reason: "manual" });
      expect(write.status).toBe(202);
      const read = await system.agent("S1").get("/v1/availability?sku=A1&storeId=S2", {
        "X-Consistency-Token": write.headers.get("x-consistency-token")!,
        Prefer: "wait=3000",
      });
      expect(read.status).toBe(200);
      expect(read.headers.get("x-consistency")).toBe("reached");
      expect(read.body.perStore[0].version).toBeGreaterThanOrEqual(write.body.version);
    }
  });

  it("a reservation just made is found at the agent with its token, and the batch read waits too", async () => {
    const reserve = await system.hub.post("/v1/reservations", { storeId: "S1", lines: [{ sku: "A1", qty: 1 }] });
    expect(reserve.status).toBe(202);
    const token = reserve.headers.get("x-consistency-token")!;
    const found = await system.agent("S1").get(`/v1/reservations/${reserve.body.reservationId}`, { "X-Consistency-Token": token });
    expect([found.status, found.headers.get("x-consistency"), found.body.status]).toEqual([200, "reached", "CREATED"]);
    const batch = await system.agent("S1").get("/v1/availability:batch?skus=A1&storeId=S1", { "X-Consistency-Token": token });
    expect(batch.headers.get("x-consistency")).toBe("reached");
    expect(batch.body.items[0].perStore[0].reserved).toBeGreaterThanOrEqual(1);
  });

  it("a token the replica cannot reach is answered after the bound with X-Consistency: behind", async () => {
    const unreachable = tokenNaming([["stock-item", "S1:A1", 1_000_000]]);
    const asked = await system.agent("S1").get("/v1/availability?sku=A1", { "X-Consistency-Token": unreachable, Prefer: "wait=300" });
    expect([asked.status, asked.headers.get("x-consistency")]).toEqual([200, "behind"]);
    expect(asked.headers.get("x-projection-lag-ms")).toMatch(/^\d+$/);
    expect(asked.ms).toBeGreaterThanOrEqual(290);
    expect(asked.ms).toBeLessThan(1_000);
    const byDefault = await system.hub.get("/v1/availability?sku=A1", { "X-Consistency-Token": unreachable });
    expect(byDefault.headers.get("x-consistency")).toBe("behind");
    expect(byDefault.ms).toBeGreaterThanOrEqual(990);
    expect(byDefault.ms).toBeLessThan(2_500);
    // Two tokens at once: it waits for both, and one of them is out of reach.
    const reached = tokenNaming([["store", "S1", 1]]);
    const both = await system.hub.get("/v1/stores", { "X-Consistency-Token": `${reached}, ${unreachable}`, Prefer: "wait=50" });
    expect(both.headers.get("x-consistency")).toBe("behind");
    expect((await system.hub.get("/v1/stores", { "X-Consistency-Token": reached })).headers.get("x-consistency")).toBe("reached");
  });

  it("a token still holds after the agent's replica is rebuilt, and a write through the agent is read at the hub", async () => {
    const write = await system.agent("S1").post("/v1/adjustments", { storeId: "S1", sku: "B2", delta: 2, reason: "restock" });
    expect(write.status).toBe(202);
    const token = write.headers.get("x-consistency-token")!;
    const atHub = await system.hub.get("/v1/availability?sku=B2&storeId=S1", { "X-Consistency-Token": token });
    expect([atHub.headers.get("x-consistency"), atHub.body.perStore[0].version]).toEqual(["reached", write.body.version]);
    const operator = tokenFor("operator");
    expect((await system.agent("S1").post("/v1/projections/rebuild", {}, { token: operator })).status).toBe(202);
    await eventually(
      async () => {
        const status = await system.agent("S1").get("/v1/projections/status", { Authorization: `Bearer ${operator}` });
        expect(status.body.projections[0].rebuild).toMatchObject({ state: "IDLE", finishedAt: expect.any(String) });
      },
      30_000,
      200,
    );
    const after = await system.agent("S1").get("/v1/availability?sku=B2&storeId=S1", { "X-Consistency-Token": token });
    expect([after.headers.get("x-consistency"), after.body.perStore[0].version]).toEqual(["reached", write.body.version]);
  });

  it("a malformed token is 400 on every read, at the hub and at the agent", async () => {
    const reads = [
      "/v1/availability?sku=A1",
      "/v1/availability:batch?skus=A1",
      "/v1/items/A1/availability",
      "/v1/products/totals",
      "/v1/stores",
      "/v1/stores/S1",
    ];
    for (const [, client] of clients()) {
      for (const path of reads) {
        for (const bad of ["nope", "c1.!!", tokenNaming([["stock-item", "S1:A1", -1]])]) {
          const res = await client.get(path, { "X-Consistency-Token": bad });
          expect(res.status, `${path} ${bad}`).toBe(400);
          expect(res.body.code).toBe("VALIDATION_ERROR");
        }
      }
    }
  });
});
