import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem();
  await seedCatalog(system, ["S1", "S2", "S3"], [{ sku: "A1", perStore: { S1: 10 } }]);
});
afterAll(() => system?.close());

const stockRow = async (storeId: string, sku: string) =>
  (await system.db.query("SELECT on_hand, reserved, version FROM stock_items WHERE store_id = $1 AND sku = $2", [storeId, sku])).rows[0];
const outboxCount = async () => Number((await system.db.query("SELECT count(*) AS n FROM outbox")).rows[0].n);

describe("stores", () => {
  it("given a new store id, when registered, then 201 with the store; a second time, 409", async () => {
    const created = await system.hub.post("/v1/stores", { storeId: "S9", name: "Uptown", latencyMs: 7 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ storeId: "S9", name: "Uptown", latencyMs: 7 });
    const again = await system.hub.post("/v1/stores", { storeId: "S9", name: "Other" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("ALREADY_EXISTS");
  });

  it("lists registered stores from the replica", async () => {
    const { eventually } = await import("./harness/infra.js");
    await eventually(async () => {
      const res = await system.hub.get("/v1/stores");
      expect(res.status).toBe(200);
      expect(res.body.items.map((s: { storeId: string }) => s.storeId)).toEqual(["S1", "S2", "S3", "S9"]);
    });
  });
});

describe("products", () => {
  it("places a new product's units in the store with the fewest units overall, ties by smallest storeId", async () => {
    // S1 holds 10 units of A1; S2, S3 and S9 hold none: S2 is the smallest id among the emptiest.
    const res = await system.hub.post("/v1/products", { sku: "P-NEW", name: "New product", initialOnHand: 10 });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ sku: "P-NEW", name: "New product", storeId: "S2", onHand: 10 });
    expect(await stockRow("S2", "P-NEW")).toEqual({ on_hand: 10, reserved: 0, version: 1 });
    const dup = await system.hub.post("/v1/products", { sku: "P-NEW", name: "Again", initialOnHand: 1 });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("ALREADY_EXISTS");
  });
});

describe("adjustments", () => {
  it("given stock, when adjusted, then 202 with the item's new state and its version as ETag", async () => {
    const before = await stockRow("S1", "A1");
    const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: -3, reason: "sale" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ storeId: "S1", sku: "A1", onHand: before.on_hand - 3, reserved: 0, available: before.on_hand - 3 });
    expect(res.body.version).toBe(before.version + 1);
    expect(res.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("etag")).toBe(`"${before.version + 1}"`);
    const event = await system.db.query("SELECT topic, message_key, event FROM outbox WHERE event_id = $1", [res.body.eventId]);
    expect(event.rows[0]).toMatchObject({ topic: "stock.events", message_key: "S1:A1" });
    expect(event.rows[0].event).toMatchObject({
      eventType: "StockAdjusted",
      eventVersion: 1,
      aggregate: { type: "stock-item", id: "S1:A1", version: before.version + 1 },
      payload: { storeId: "S1", sku: "A1", delta: -3, reason: "sale", onHand: before.on_hand - 3, reserved: 0 },
    });
  });

  it("given a (store, sku) pair that never held stock, then it starts at zero", async () => {
    const res = await system.hub.post("/v1/adjustments", { storeId: "S3", sku: "A1", delta: 4, reason: "restock" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ onHand: 4, version: 1 });
  });

  it("refuses a sale that would leave available below zero with 409 INSUFFICIENT_STOCK and changes nothing", async () => {
    const before = await stockRow("S1", "A1");
    const events = await outboxCount();
    const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: -(before.on_hand + 1), reason: "sale" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "INSUFFICIENT_STOCK", available: before.on_hand, requested: before.on_hand + 1 });
    expect(await stockRow("S1", "A1")).toEqual(before);
    expect(await outboxCount()).toBe(events);
  });

  it("answers 404 for an unknown store or sku", async () => {
    const store = await system.hub.post("/v1/adjustments", { storeId: "NOPE", sku: "A1", delta: 1, reason: "restock" });
    expect(store.status).toBe(404);
    expect(store.body).toMatchObject({ code: "NOT_FOUND", storeId: "NOPE" });
    const sku = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "NOPE", delta: 1, reason: "restock" });
    expect(sku.status).toBe(404);
    expect(sku.body).toMatchObject({ code: "NOT_FOUND", sku: "NOPE" });
  });

  it.each([
    ["a missing field", { storeId: "S1", sku: "A1", reason: "sale" }],
    ["an unknown reason", { storeId: "S1", sku: "A1", delta: 1, reason: "theft" }],
    ["a fractional delta", { storeId: "S1", sku: "A1", delta: 1.5, reason: "sale" }],
    ["a zero delta", { storeId: "S1", sku: "A1", delta: 0, reason: "sale" }],
    ["an unknown field", { storeId: "S1", sku: "A1", delta: 1, reason: "sale", extra: true }],
    ["a sku with a space", { storeId: "S1", sku: "A 1", delta: 1, reason: "sale" }],
    ["a body that is an array", [1, 2]],
  ])("answers 400 VALIDATION_ERROR for %s", async (_, body) => {
    const res = await system.hub.post("/v1/adjustments", body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_ERROR");
    expect(Array.isArray(res.body.issues)).toBe(true);
  });

  it("answers 400 for malformed JSON and 415 for a body that is not JSON", async () => {
    const malformed = await system.hub.post("/v1/adjustments", null, { rawBody: '{"storeId":"S1",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("VALIDATION_ERROR");
    const text = await system.hub.post("/v1/adjustments", null, { rawBody: "delta=1", contentType: "text/plain" });
    expect(text.status).toBe(415);
  });

  it("answers 401 with WWW-Authenticate without a token or with a wrong one", async () => {
    const none = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: 1, reason: "restock" }, { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: 1, reason: "restock" }, { token: "not-it" });
    expect(wrong.status).toBe(401);
  });
});

describe("recounts", () => {
  it("sets onHand absolutely, with the count reference in the event", async () => {
    const res = await system.hub.post("/v1/items:set-absolute", { storeId: "S2", sku: "A1", onHand: 42, countRef: "cycle-7" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ storeId: "S2", sku: "A1", onHand: 42, available: 42 });
    const event = await system.db.query("SELECT event FROM outbox WHERE event_id = $1", [res.body.eventId]);
    expect(event.rows[0].event).toMatchObject({ eventType: "StockRecounted", payload: { countRef: "cycle-7", onHand: 42 } });
  });

  it("refuses a negative count with 400", async () => {
    const res = await system.hub.post("/v1/items:set-absolute", { storeId: "S2", sku: "A1", onHand: -1 });
    expect(res.status).toBe(400);
  });
});

describe("If-Match", () => {
  it("given a stale version, then 409 VERSION_CONFLICT with the current version; the current one succeeds", async () => {
    const current = await stockRow("S1", "A1");
    const stale = await system.hub.post(
      "/v1/adjustments",
      { storeId: "S1", sku: "A1", delta: 1, reason: "restock" },
      { ifMatch: `"${current.version - 1}"` },
    );
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "VERSION_CONFLICT", currentVersion: current.version });
    expect(await stockRow("S1", "A1")).toEqual(current);
    const fresh = await system.hub.post(
      "/v1/items:set-absolute",
      { storeId: "S1", sku: "A1", onHand: 20 },
      { ifMatch: `"${current.version}"` },
    );
    expect(fresh.status).toBe(202);
    expect(fresh.body.version).toBe(current.version + 1);
  });

  it("answers 400 for an If-Match that is not a version", async () => {
    const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "A1", delta: 1, reason: "restock" }, { ifMatch: "banana" });
    expect(res.status).toBe(400);
  });
});

describe("idempotency", () => {
  const body = { storeId: "S1", sku: "A1", delta: 2, reason: "return" };

  it("replays the first response for a retry with the same key and changes nothing twice", async () => {
    const key = randomUUID();
    const first = await system.hub.post("/v1/adjustments", body, { key });
    const after = await stockRow("S1", "A1");
    const events = await outboxCount();
    const retry = await system.hub.post("/v1/adjustments", body, { key });
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await stockRow("S1", "A1")).toEqual(after);
    expect(await outboxCount()).toBe(events);
  });

  it("replays a refusal too: the same request gets the same answer", async () => {
    const key = randomUUID();
    const first = await system.hub.post("/v1/adjustments", { ...body, delta: -1_000_000 }, { key });
    expect(first.status).toBe(409);
    const retry = await system.hub.post("/v1/adjustments", { ...body, delta: -1_000_000 }, { key });
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual(first.body);
  });

  it("answers 422 for the same key with a different request, and changes nothing", async () => {
    const key = randomUUID();
    await system.hub.post("/v1/adjustments", body, { key });
    const before = await stockRow("S1", "A1");
    const other = await system.hub.post("/v1/adjustments", { ...body, delta: 5 }, { key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await stockRow("S1", "A1")).toEqual(before);
  });

  it("answers 400 without an Idempotency-Key", async () => {
    const res = await system.hub.post("/v1/adjustments", body, { key: null });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("IDEMPOTENCY_KEY_REQUIRED");
  });

  it("answers 409 for a retry while the first request with that key is still in flight", async () => {
    const key = randomUUID();
    const client = await system.db.connect();
    try {
      // Hold the key's lock exactly as an in-flight request does.
      await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`9:dev-token:${key}`]);
      const res = await system.hub.post("/v1/adjustments", body, { key });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("IDEMPOTENCY_KEY_IN_USE");
    } finally {
      await client.query("SELECT pg_advisory_unlock_all()");
      client.release();
    }
    const after = await system.hub.post("/v1/adjustments", body, { key });
    expect(after.status).toBe(202);
  });

  it("given concurrent retries of one request, then it applies exactly once", async () => {
    const key = randomUUID();
    const before = await stockRow("S1", "A1");
    const answers = await Promise.all(Array.from({ length: 8 }, () => system.hub.post("/v1/adjustments", body, { key })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    expect(statuses).toContain(202);
    expect((await stockRow("S1", "A1")).on_hand).toBe(before.on_hand + body.delta);
  });

  it("replays after a hub restart without applying again", async () => {
    const key = randomUUID();
    const first = await system.hub.post("/v1/adjustments", body, { key });
    const after = await stockRow("S1", "A1");
    await system.stopHub("SIGKILL");
    await system.startHub();
    const retry = await system.hub.post("/v1/adjustments", body, { key });
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(await stockRow("S1", "A1")).toEqual(after);
  });
});
