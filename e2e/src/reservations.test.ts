import { randomUUID } from "node:crypto";
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
      { sku: "R1", perStore: { S1: 10 } },
      { sku: "R2", perStore: { S1: 5 } },
      { sku: "R3", perStore: { S1: 4 } },
    ],
  );
});
afterAll(() => system?.close());

const item = async (storeId: string, sku: string) =>
  (await system.db.query("SELECT on_hand, reserved, version FROM stock_items WHERE store_id = $1 AND sku = $2", [storeId, sku])).rows[0];
const reserve = (body: Record<string, unknown>, key?: string) => system.hub.post("/v1/reservations", { storeId: "S1", ...body }, { key });
const act = (id: string, action: "confirm" | "cancel", body: Record<string, unknown> = {}, key?: string) =>
  system.hub.post(`/v1/reservations/${id}:${action}`, body, { key });

describe("creating a reservation", () => {
  it("holds every line and answers 202 with the reservation, its expiry and a Location", async () => {
    const before = await item("S1", "R1");
    const res = await reserve({
      lines: [
        { sku: "R1", qty: 2 },
        { sku: "R2", qty: 1 },
      ],
      ttlSeconds: 600,
      customerId: "c1",
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      storeId: "S1",
      status: "CREATED",
      customerId: "c1",
      lines: [
        { sku: "R1", qty: 2 },
        { sku: "R2", qty: 1 },
      ],
    });
    expect(res.body.reservationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("location")).toBe(`/v1/reservations/${res.body.reservationId}`);
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).toBe(600_000);
    expect(await item("S1", "R1")).toEqual({ on_hand: before.on_hand, reserved: before.reserved + 2, version: before.version + 1 });
    for (const client of [system.hub, system.agent("S1")]) {
      await eventually(async () => {
        const got = await client.get(`/v1/reservations/${res.body.reservationId}`);
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({ reservationId: res.body.reservationId, status: "CREATED", lines: res.body.lines });
        const avail = await client.get("/v1/availability?sku=R1&storeId=S1");
        expect(avail.body.perStore[0]).toMatchObject({ reserved: before.reserved + 2, available: before.on_hand - before.reserved - 2 });
      });
    }
  });

  it("defaults the TTL to 900 s", async () => {
    const res = await reserve({ lines: [{ sku: "R3", qty: 1 }] });
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).toBe(900_000);
    await act(res.body.reservationId, "cancel");
  });

  it("refuses the whole request when one line is short, naming it, and holds nothing", async () => {
    const r1 = await item("S1", "R1");
    const res = await reserve({
      lines: [
        { sku: "R1", qty: 1 },
        { sku: "R2", qty: 999 },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "INSUFFICIENT_STOCK", lines: [{ sku: "R2", requested: 999 }] });
    expect(await item("S1", "R1")).toEqual(r1);
  });

  it("merges duplicate SKUs instead of counting them twice", async () => {
    const r3 = await item("S1", "R3");
    const available = r3.on_hand - r3.reserved;
    const tooMuch = await reserve({
      lines: [
        { sku: "R3", qty: available },
        { sku: "R3", qty: 1 },
      ],
    });
    expect(tooMuch.status).toBe(409);
    const merged = await reserve({
      lines: [
        { sku: "R3", qty: 1 },
        { sku: "R3", qty: 1 },
      ],
    });
    expect(merged.status).toBe(202);
    expect(merged.body.lines).toEqual([{ sku: "R3", qty: 2 }]);
    expect((await item("S1", "R3")).reserved).toBe(r3.reserved + 2);
    await act(merged.body.reservationId, "cancel");
  });

  it.each([
    ["a TTL of 0", { lines: [{ sku: "R1", qty: 1 }], ttlSeconds: 0 }],
    ["a TTL over a day", { lines: [{ sku: "R1", qty: 1 }], ttlSeconds: 86_401 }],
    ["no lines", { lines: [] }],
    ["a qty of 0", { lines: [{ sku: "R1", qty: 0 }] }],
  ])("answers 400 for %s", async (_, body) => {
    expect((await reserve(body)).status).toBe(400);
  });

  it("answers 404 for an unknown SKU or store", async () => {
    expect((await reserve({ lines: [{ sku: "NOPE", qty: 1 }] })).status).toBe(404);
    expect((await system.hub.post("/v1/reservations", { storeId: "NOPE", lines: [{ sku: "R1", qty: 1 }] })).status).toBe(404);
  });
});

describe("confirming and cancelling", () => {
  it("confirm sells the held units: onHand and reserved both drop; a second confirm is INVALID_STATE", async () => {
    const res = await reserve({ lines: [{ sku: "R1", qty: 3 }] });
    const before = await item("S1", "R1");
    const confirmed = await act(res.body.reservationId, "confirm", { paymentRef: "pay-1" });
    expect(confirmed.status).toBe(202);
    expect(confirmed.body.status).toBe("CONFIRMED");
    expect(await item("S1", "R1")).toMatchObject({ on_hand: before.on_hand - 3, reserved: before.reserved - 3 });
    const again = await act(res.body.reservationId, "confirm");
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "INVALID_STATE", status: "CONFIRMED" });
    const cancel = await act(res.body.reservationId, "cancel");
    expect(cancel.body).toMatchObject({ code: "INVALID_STATE", status: "CONFIRMED" });
  });

  it("cancel releases the held units", async () => {
    const before = await item("S1", "R2");
    const res = await reserve({ lines: [{ sku: "R2", qty: 2 }] });
    const cancelled = await act(res.body.reservationId, "cancel", { reason: "user_cancel" });
    expect(cancelled.body.status).toBe("CANCELLED");
    expect(await item("S1", "R2")).toMatchObject({ on_hand: before.on_hand, reserved: before.reserved });
  });

  it("answers 404 for an unknown reservation, on commands and reads", async () => {
    expect((await act(randomUUID(), "confirm")).status).toBe(404);
    expect((await system.hub.get(`/v1/reservations/${randomUUID()}`)).status).toBe(404);
    expect((await system.agent("S1").get(`/v1/reservations/${randomUUID()}`)).status).toBe(404);
  });

  it("replays create, confirm and cancel for a retry with the same key, changing nothing twice", async () => {
    const createKey = randomUUID();
    const first = await reserve({ lines: [{ sku: "R1", qty: 1 }] }, createKey);
    const afterCreate = await item("S1", "R1");
    const replay = await reserve({ lines: [{ sku: "R1", qty: 1 }] }, createKey);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await item("S1", "R1")).toEqual(afterCreate);

    const confirmKey = randomUUID();
    const confirmed = await act(first.body.reservationId, "confirm", {}, confirmKey);
    const afterConfirm = await item("S1", "R1");
    const confirmReplay = await act(first.body.reservationId, "confirm", {}, confirmKey);
    expect(confirmReplay.status).toBe(202);
    expect(confirmReplay.body).toEqual(confirmed.body);
    expect(await item("S1", "R1")).toEqual(afterConfirm);

    const other = await reserve({ lines: [{ sku: "R2", qty: 1 }] });
    const cancelKey = randomUUID();
    const cancelled = await act(other.body.reservationId, "cancel", {}, cancelKey);
    const afterCancel = await item("S1", "R2");
    expect((await act(other.body.reservationId, "cancel", {}, cancelKey)).body).toEqual(cancelled.body);
    expect(await item("S1", "R2")).toEqual(afterCancel);
  });
});

describe("expiry", () => {
  it("releases the units when the TTL passes, shows EXPIRED at the agent, and refuses a late confirm", async () => {
    const before = await item("S1", "R2");
    const res = await reserve({ lines: [{ sku: "R2", qty: 2 }], ttlSeconds: 1 });
    expect((await item("S1", "R2")).reserved).toBe(before.reserved + 2);
    const started = Date.now();
    await eventually(async () => expect((await item("S1", "R2")).reserved).toBe(before.reserved), 5000, 50);
    const releasedAfterMs = Date.now() - started;
    console.log(`a 1 s reservation was released ${releasedAfterMs} ms after it was created`);
    expect(releasedAfterMs).toBeLessThan(3000);
    await eventually(async () => {
      const got = await system.agent("S1").get(`/v1/reservations/${res.body.reservationId}`);
      expect(got.body.status).toBe("EXPIRED");
    });
    const late = await act(res.body.reservationId, "confirm");
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("RESERVATION_EXPIRED");
  });

  it("expires reservations that came due while the hub was down, once it is back", async () => {
    const before = await item("S1", "R3");
    const res = await reserve({ lines: [{ sku: "R3", qty: 1 }], ttlSeconds: 1 });
    await system.stopHub("SIGKILL");
    await sleep(1500);
    await system.startHub();
    await eventually(async () => expect((await item("S1", "R3")).reserved).toBe(before.reserved), 5000, 50);
    const row = await system.db.query("SELECT status FROM reservations WHERE reservation_id = $1", [res.body.reservationId]);
    expect(row.rows[0].status).toBe("EXPIRED");
  });
});
