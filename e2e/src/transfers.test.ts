import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, sleep } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S2"] });
  await seedCatalog(
    system,
    ["S1", "S2", "S3"],
    [
      { sku: "T1", perStore: { S1: 50, S2: 10 } },
      { sku: "T2", perStore: { S1: 5 } },
      { sku: "T3", perStore: { S1: 100, S2: 100, S3: 100 } },
    ],
  );
});
afterAll(() => system?.close());

const items = async (sku: string) =>
  Object.fromEntries(
    (await system.db.query("SELECT store_id, on_hand, in_transit FROM stock_items WHERE sku = $1", [sku])).rows.map((r) => [
      r.store_id,
      [r.on_hand, r.in_transit],
    ]),
  );
const unitsInSight = async (sku: string) =>
  (await system.db.query("SELECT sum(on_hand + in_transit)::int AS n FROM stock_items WHERE sku = $1", [sku])).rows[0].n as number;
const transferStatus = async (id: string) =>
  (await system.db.query("SELECT status, history FROM transfers WHERE transfer_id = $1", [id])).rows[0];
const settled = (id: string, status: string) => eventually(async () => expect((await transferStatus(id)).status).toBe(status), 30_000, 50);

describe("transfers", () => {
  it("moves units from one store to another through every step, seen at hub and agent", async () => {
    const res = await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S2", lines: [{ sku: "T1", qty: 3 }] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      fromStore: "S1",
      toStore: "S2",
      lines: [{ sku: "T1", qty: 3 }],
      status: "REQUESTED",
      receipt: "auto",
    });
    expect(res.headers.get("location")).toBe(`/v1/transfers/${res.body.transferId}`);
    await settled(res.body.transferId, "COMPLETED");
    expect(await items("T1")).toMatchObject({ S1: [47, 0], S2: [13, 0] });
    for (const client of [system.hub, system.agent("S2")]) {
      await eventually(async () => {
        const got = await client.get(`/v1/transfers/${res.body.transferId}`);
        expect(got.body.status).toBe("COMPLETED");
        expect(got.body.history.map((h: { status: string }) => h.status)).toEqual(["REQUESTED", "DISPATCHED", "RECEIVED", "COMPLETED"]);
      });
    }
  });

  it("ends FAILED without moving anything when the source lacks stock or the SKU is unknown", async () => {
    const before = await items("T2");
    const short = await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S3", lines: [{ sku: "T2", qty: 6 }] });
    const unknown = await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S3", lines: [{ sku: "NOPE", qty: 1 }] });
    await settled(short.body.transferId, "FAILED");
    await settled(unknown.body.transferId, "FAILED");
    expect((await transferStatus(short.body.transferId)).history.at(-1).reason).toMatch(/not enough available at S1/);
    expect(await items("T2")).toMatchObject(before);
  });

  it("compensates a dispatch whose receipt cannot happen: the units go back to the source", async () => {
    const before = await unitsInSight("T1");
    const source = (await items("T1")).S1;
    const res = await system.hub.post("/v1/transfers", {
      fromStore: "S1",
      toStore: "S3",
      lines: [{ sku: "T1", qty: 2 }],
      receipt: "manual",
    });
    await settled(res.body.transferId, "DISPATCHED");
    const s3Before = (await items("T1")).S3?.[0] ?? 0;
    // While the units are on the truck, a recount fills the destination up to the quantity limit.
    await system.hub.post("/v1/items:set-absolute", { storeId: "S3", sku: "T1", onHand: 999_999_999 });
    const received = await system.hub.post(`/v1/transfers/${res.body.transferId}:receive`, {});
    expect(received.status).toBe(202);
    expect(received.body.status).toBe("FAILED");
    const history = (await transferStatus(res.body.transferId)).history.map((h: { status: string }) => h.status);
    expect(history).toEqual(["REQUESTED", "DISPATCHED", "FAILED"]);
    expect((await items("T1")).S1).toEqual(source);
    expect((await items("T1")).S3).toEqual([999_999_999, 0]);
    // Every unit is back in sight: only the recount changed the total.
    expect(await unitsInSight("T1")).toBe(before - s3Before + 999_999_999);
    await system.hub.post("/v1/items:set-absolute", { storeId: "S3", sku: "T1", onHand: 0 });
  });

  it("fails a transfer at dispatch, moving nothing, when the destination cannot hold the units", async () => {
    await system.hub.post("/v1/items:set-absolute", { storeId: "S3", sku: "T1", onHand: 1_000_000_000 });
    const source = (await items("T1")).S1;
    const res = await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S3", lines: [{ sku: "T1", qty: 1 }] });
    await settled(res.body.transferId, "FAILED");
    expect((await items("T1")).S1).toEqual(source);
    await system.hub.post("/v1/items:set-absolute", { storeId: "S3", sku: "T1", onHand: 0 });
  });

  it("with manual receipt, shows the units in transit until the destination receives them, across a hub kill", async () => {
    const res = await system.hub.post("/v1/transfers", {
      fromStore: "S1",
      toStore: "S2",
      lines: [{ sku: "T1", qty: 4 }],
      receipt: "manual",
    });
    await settled(res.body.transferId, "DISPATCHED");
    const before = await items("T1");
    await eventually(async () => {
      const read = await system.agent("S2").get("/v1/availability?sku=T1&storeId=S2");
      expect(read.body.perStore[0].inTransit).toBe(4);
      const totals = await system.agent("S2").get("/v1/products/totals?q=T1");
      expect(totals.body.items[0].totalInTransit).toBe(4);
    });
    await system.stopHub("SIGKILL");
    await system.startHub();
    await sleep(500);
    expect(await items("T1")).toEqual(before);
    expect((await transferStatus(res.body.transferId)).status).toBe("DISPATCHED");
    const received = await system.hub.post(`/v1/transfers/${res.body.transferId}:receive`, {});
    expect(received.status).toBe(202);
    expect(received.body.status).toBe("RECEIVED");
    await settled(res.body.transferId, "COMPLETED");
    expect((await items("T1")).S2).toEqual([before.S2[0] + 4, 0]);
    const again = await system.hub.post(`/v1/transfers/${res.body.transferId}:receive`, {});
    expect(again.body).toMatchObject({ code: "INVALID_STATE", status: "COMPLETED" });
  });

  it("answers 400 for a same-store transfer, a qty of 0 or no lines", async () => {
    expect((await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S1", lines: [{ sku: "T1", qty: 1 }] })).status).toBe(400);
    expect((await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S2", lines: [{ sku: "T1", qty: 0 }] })).status).toBe(400);
    expect((await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S2", lines: [] })).status).toBe(400);
  });

  it("keeps every unit in sight when transfers and sales race, and a hub is killed mid-way", async () => {
    const start = await unitsInSight("T3");
    const stores = ["S1", "S2", "S3"];
    const transferIds: string[] = [];
    let sold = 0;
    const work = Array.from({ length: 60 }, async (_, i) => {
      if (i % 3 === 0) {
        const res = await system.hub.post("/v1/purchase", { sku: "T3", qty: 1 }).catch(() => undefined);
        if (res?.status === 202) sold += 1;
      } else {
        const res = await system.hub
          .post("/v1/transfers", { fromStore: stores[i % 3], toStore: stores[(i + 1) % 3], lines: [{ sku: "T3", qty: 1 + (i % 4) }] })
          .catch(() => undefined);
        if (res?.status === 202) transferIds.push(res.body.transferId);
      }
    });
    await Promise.all(work);
    await system.stopHub("SIGKILL");
    await system.startHub();
    for (const id of transferIds) {
      await eventually(async () => expect(["COMPLETED", "FAILED"]).toContain((await transferStatus(id)).status), 30_000, 100);
    }
    const statuses = await Promise.all(
      transferIds.map(async (id) => (await transferStatus(id)).history.map((h: { status: string }) => h.status).join(">")),
    );
    for (const s of statuses) expect(["REQUESTED>DISPATCHED>RECEIVED>COMPLETED", "REQUESTED>FAILED"]).toContain(s);
    console.log(
      `${transferIds.length} transfers and ${sold} sales raced a hub kill; ${statuses.filter((s) => s.endsWith("COMPLETED")).length} completed`,
    );
    expect(await unitsInSight("T3")).toBe(start - sold);
    const transit = await system.db.query("SELECT sum(in_transit)::int AS n FROM stock_items WHERE sku = 'T3'");
    expect(transit.rows[0].n).toBe(0);
  });
});
