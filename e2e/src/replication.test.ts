import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, sleep } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "A1", perStore: { S1: 50, S2: 5 } },
      { sku: "B2", perStore: { S2: 7 } },
      { sku: "MUG-1", perStore: { S1: 3 } },
    ],
  );
});
afterAll(() => system?.close());

describe("reads on hub and agent", () => {
  it("converge on the same answer after a write, each saying how far it lags", async () => {
    const write = await system.agent("S1").post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: -4, reason: "sale" });
    expect(write.status).toBe(202);
    for (const client of [system.hub, system.agent("S1")]) {
      await eventually(async () => {
        const res = await client.get("/v1/availability?sku=A1");
        expect(res.status).toBe(200);
        expect(res.body.perStore.find((r: { storeId: string }) => r.storeId === "S1")).toMatchObject({
          onHand: 46,
          version: write.body.version,
        });
        expect(res.body.totalAvailable).toBe(51);
      });
    }
    // The hub's rows and the agent's own store are event-fed: lag 0 once caught up. The agent's other stores come
    // from the coalesced chain view, as stale as the view's last position (published each AVAILABILITY_COALESCE_MS, 1 s).
    expect(Number((await system.hub.get("/v1/availability?sku=A1")).headers.get("x-projection-lag-ms"))).toBe(0);
    expect(Number((await system.agent("S1").get("/v1/availability?sku=A1&storeId=S1")).headers.get("x-projection-lag-ms"))).toBe(0);
    const chainWide = Number((await system.agent("S1").get("/v1/availability?sku=A1")).headers.get("x-projection-lag-ms"));
    expect(chainWide).toBeGreaterThan(0);
    expect(chainWide).toBeLessThan(3000);
    const [fromHub, fromAgent] = await Promise.all([
      system.hub.get("/v1/availability?sku=A1"),
      system.agent("S1").get("/v1/availability?sku=A1"),
    ]);
    expect(fromAgent.body).toEqual(fromHub.body);
  });

  it("shows a write to its own store at the agent within milliseconds, and another store's within the coalescing window", async () => {
    const visibleAfterMs = async (storeId: string, sku: string, delta: number) => {
      const started = Date.now();
      const write = await system.hub.post("/v1/adjustments", { storeId, sku, delta, reason: delta > 0 ? "restock" : "sale" });
      await eventually(
        async () => {
          const res = await system.agent("S1").get(`/v1/availability?sku=${sku}&storeId=${storeId}`);
          expect(res.body.perStore[0].version).toBe(write.body.version);
        },
        5000,
        2,
      );
      return Date.now() - started;
    };
    const own = await visibleAfterMs("S1", "MUG-1", 1);
    // Back to where the other tests expect it.
    await visibleAfterMs("S1", "MUG-1", -1);
    const other = await visibleAfterMs("S2", "B2", 1);
    console.log(`write visible at the agent ${own} ms after it was sent (own store), ${other} ms (another store)`);
    expect(own).toBeLessThan(1000);
    expect(other).toBeLessThan(3000);
  });

  it("filters by store and breaks a SKU down per store", async () => {
    await eventually(async () => {
      const one = await system.agent("S1").get("/v1/availability?sku=A1&storeId=S2");
      expect(one.body).toEqual({
        sku: "A1",
        totalAvailable: 5,
        perStore: [expect.objectContaining({ sku: "A1", storeId: "S2", onHand: 5, reserved: 0, available: 5, version: 1 })],
      });
      const all = await system.agent("S1").get("/v1/items/A1/availability");
      expect(all.body.perStore.map((r: { storeId: string }) => r.storeId)).toEqual(["S1", "S2"]);
      expect(typeof all.body.perStore[0].lastEventAt).toBe("string");
    });
  });

  it("answers 404 for an unknown SKU or store and 400 for a malformed query", async () => {
    for (const client of [system.hub, system.agent("S1")]) {
      expect((await client.get("/v1/availability?sku=NOPE")).status).toBe(404);
      expect((await client.get("/v1/items/NOPE/availability")).status).toBe(404);
      expect((await client.get("/v1/availability?sku=A1&storeId=NOPE")).status).toBe(404);
      const missing = await client.get("/v1/availability");
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe("VALIDATION_ERROR");
      expect((await client.get("/v1/products/totals?size=0")).status).toBe(400);
      expect((await client.get("/v1/products/totals?page=-1")).status).toBe(400);
    }
  });

  it("pages product totals and searches by sku or name", async () => {
    await eventually(async () => {
      const page0 = await system.agent("S1").get("/v1/products/totals?size=2");
      expect(page0.body).toMatchObject({ page: 0, size: 2, total: 3 });
      expect(page0.body.items.map((i: { sku: string }) => i.sku)).toEqual(["A1", "B2"]);
      const page1 = await system.agent("S1").get("/v1/products/totals?size=2&page=1");
      expect(page1.body.items).toEqual([
        { sku: "MUG-1", name: "Product MUG-1", totalOnHand: 3, totalReserved: 0, totalAvailable: 3, totalInTransit: 0 },
      ]);
      const search = await system.hub.get("/v1/products/totals?q=mug");
      expect(search.body.items.map((i: { sku: string }) => i.sku)).toEqual(["MUG-1"]);
      const wildcard = await system.hub.get("/v1/products/totals?q=%25");
      expect(wildcard.body.total).toBe(0);
    });
  });
});

describe("conditional reads", () => {
  it("answers 304 to If-None-Match with the current ETag, and 200 once the data changed", async () => {
    const agent = system.agent("S1");
    const first = await agent.get("/v1/availability?sku=MUG-1");
    const tag = first.headers.get("etag")!;
    expect(tag).toMatch(/^"/);
    const same = await agent.get("/v1/availability?sku=MUG-1", { "If-None-Match": tag });
    expect(same.status).toBe(304);
    expect(same.headers.get("x-projection-lag-ms")).not.toBeNull();
    await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "MUG-1", delta: 1, reason: "restock" });
    await eventually(async () => {
      const changed = await agent.get("/v1/availability?sku=MUG-1", { "If-None-Match": tag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get("etag")).not.toBe(tag);
    });
  });
});

describe("an agent cut off from the hub", () => {
  it("keeps answering reads, answers writes 503 fast with Retry-After, and recovers when the hub returns", async () => {
    const agent = system.agent("S1");
    await system.stopHub("SIGKILL");
    try {
      const attempts = [];
      for (let i = 0; i < 6; i++) {
        attempts.push(await agent.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: -1, reason: "sale" }));
      }
      for (const a of attempts) {
        expect(a.status).toBe(503);
        expect(a.body.code).toBe("UNAVAILABLE");
        expect(Number(a.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      const lastMs = attempts.slice(3).map((a) => a.ms);
      console.log(`writes while the hub is down answered 503 in ${attempts.map((a) => a.ms.toFixed(1)).join(", ")} ms`);
      expect(Math.max(...lastMs)).toBeLessThan(100);
      const read = await agent.get("/v1/availability?sku=A1");
      expect(read.status).toBe(200);
      expect(read.body.perStore.find((r: { storeId: string }) => r.storeId === "S1").onHand).toBe(46);
      const ready = await agent.get("/ready");
      expect(ready.status).toBe(200);
      expect(ready.body.checks.hub.ok).toBe(false);
    } finally {
      await system.startHub();
    }
    const write = await eventually(
      async () => {
        const res = await agent.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: -1, reason: "sale" });
        expect(res.status).toBe(202);
        return res;
      },
      15_000,
      200,
    );
    expect(write.body.onHand).toBe(45);
    await eventually(async () => {
      const res = await agent.get("/v1/availability?sku=A1&storeId=S1");
      expect(res.body.perStore[0].onHand).toBe(45);
    });
  });

  it("reports a growing lag while cut off from Kafka, and 0 again once caught up", async () => {
    // Point a second agent at a broker address where nothing listens, after it has caught up once.
    await system.startAgent("S2");
    await eventually(async () => {
      const res = await system.agent("S2").get("/v1/availability?sku=A1");
      expect(res.status).toBe(200);
    });
    await system.stopAgent("S2");
    await system.startAgent("S2", { waitForReady: false, env: { KAFKA_BROKERS: "127.0.0.1:1" } });
    await eventually(async () => expect((await system.agent("S2").get("/health")).status).toBe(200));
    const first = Number((await system.agent("S2").get("/v1/availability?sku=A1")).headers.get("x-projection-lag-ms"));
    await sleep(1500);
    const later = await system.agent("S2").get("/v1/availability?sku=A1");
    expect(later.status).toBe(200);
    const second = Number(later.headers.get("x-projection-lag-ms"));
    console.log(`lag while cut off from Kafka: ${first} ms, then ${second} ms`);
    expect(second).toBeGreaterThan(first);
    expect(second).toBeGreaterThanOrEqual(1000);
    expect((await system.agent("S2").get("/ready")).status).toBe(503);
    await system.stopAgent("S2");
    await system.startAgent("S2");
    const caughtUp = await system.agent("S2").get("/v1/availability?sku=A1&storeId=S2");
    expect(Number(caughtUp.headers.get("x-projection-lag-ms"))).toBe(0);
  });
});
