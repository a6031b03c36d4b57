import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(system, ["S1", "S2"], [
    { sku: "A1", perStore: { S1: 10, S2: 3 } },
    { sku: "B2", perStore: { S2: 7 } },
  ]);
  for (const client of [system.hub, system.agent("S1")]) {
    await eventually(async () => expect((await client.get("/v1/availability?sku=B2&storeId=S2")).body.perStore?.[0]?.onHand).toBe(7));
  }
});
afterAll(async () => {
  await system?.close();
});

const clients = () => [
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
      expect(batch.body.items.map((i: { sku: string; perStore: { storeId: string; onHand: number }[] }) => [i.sku, i.perStore.map((r) => `${r.storeId}:${r.onHand}`)])).toEqual([
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
