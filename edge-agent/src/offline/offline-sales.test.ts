import { afterEach, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { silentLogger, traceId, type TraceVariables } from "@inventory/platform";
import { createCircuitBreaker } from "../circuit-breaker.js";
import { openJournal, type OfflineJournal } from "./journal-store.js";
import { offlineSales } from "./offline-sales.js";
import { provisionalReads } from "./provisional-reads.js";

const row = {
  sku: "A1",
  storeId: "S1",
  onHand: 2,
  reserved: 0,
  available: 2,
  inTransit: 0,
  version: 5,
  lastEventAt: "2026-12-01T10:00:00.000Z",
};
let journal: OfflineJournal;
afterEach(() => journal?.close());

/** An agent whose hub is down (nothing listens on its port): every write finds it unreachable. */
const agent = (maxQueued = 100) => {
  journal = openJournal(":memory:");
  const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 60_000 });
  breaker.failed(Date.now());
  const sales = offlineSales({
    storeId: "S1",
    journal,
    replica: { store: () => ({ availability: (sku, storeId) => (sku === "A1" && storeId === "S1" ? [row] : []) }) },
    hubUrl: "http://127.0.0.1:9",
    timeoutMs: 200,
    breaker,
    maxQueued,
    log: silentLogger,
    now: () => new Date("2026-12-01T12:00:00.000Z"),
  });
  const refuse = () => new Response(JSON.stringify({ code: "UNAVAILABLE" }), { status: 503 });
  const app = new Hono<{ Variables: TraceVariables }>();
  app.use("*", traceId());
  app.post(
    "/v1/*",
    sales.handle((c) => sales.whenUnreachable(c, refuse)),
  );
  const post = (key: string, body: object, path = "/v1/adjustments", extra: Record<string, string> = {}) =>
    app.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer till", "Idempotency-Key": key, ...extra },
      body: JSON.stringify(body),
    });
  return { post, sales };
};
const sale = { storeId: "S1", sku: "A1", delta: -3, reason: "sale" };

describe("a write at an agent with OFFLINE_SALES while the hub is unreachable", () => {
  it("given a sale for its store, then it is journaled and answered 202 X-Offline-Queued with the provisional item", async () => {
    const { post, sales } = agent();
    const res = await post("k1", sale);
    expect(res.status).toBe(202);
    expect(res.headers.get("x-offline-queued")).toBe("true");
    expect(res.headers.get("etag")).toBe('"5"');
    expect(await res.json()).toEqual({
      storeId: "S1",
      sku: "A1",
      onHand: -1,
      reserved: 0,
      available: -1,
      version: 5,
      eventId: null,
      offline: true,
      occurredAt: "2026-12-01T12:00:00.000Z",
      provisional: true,
    });
    expect(journal.next()).toMatchObject({ idempotencyKey: "k1", delta: -3, status: "QUEUED", body: JSON.stringify(sale) });
    expect(sales.status()).toMatchObject({ queued: 1, oldestQueuedAt: "2026-12-01T12:00:00.000Z", oldestQueuedAgeMs: 0 });
    // A second sale builds on the first: the till sees the shelf go down.
    expect(await (await post("k2", { ...sale, delta: -1 })).json()).toMatchObject({ onHand: -2 });
  });

  it("given a retry of a queued key, then the same answer; with another body, 422", async () => {
    const { post } = agent();
    const first = await (await post("k1", sale)).text();
    const again = await post("k1", { ...sale, traceId: "retry-1" });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(first);
    const other = await post("k1", { ...sale, delta: -2 });
    expect(other.status).toBe(422);
    expect((await other.json()).code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(journal.counts().queued).toBe(1);
  });

  it("refuses with 503, journaling nothing, another store, another reason, another write, If-Match, an unknown item and a full journal", async () => {
    const { post } = agent(1);
    expect((await post("a", { ...sale, storeId: "S2" })).status).toBe(503);
    expect((await post("b", { ...sale, reason: "damage" })).status).toBe(503);
    expect((await post("c", { storeId: "S1", sku: "A1", onHand: 1 }, "/v1/items:set-absolute")).status).toBe(503);
    expect((await post("d", sale, "/v1/adjustments", { "If-Match": '"5"' })).status).toBe(503);
    expect((await post("e", { ...sale, sku: "ZZ" })).status).toBe(503);
    expect(journal.counts().queued).toBe(0);
    expect((await post("f", sale)).status).toBe(202);
    expect((await post("g", sale)).status).toBe(503);
    expect(journal.counts().queued).toBe(1);
  });
});

describe("the agent's reads while sales are journaled", () => {
  it("show the provisional row with its own ETag, also to a till whose copy predates the sales", async () => {
    const { post } = agent();
    await post("k1", sale);
    const replica = { store: () => ({ availability: (sku: string) => (sku === "A1" ? [row] : undefined) }) };
    const app = new Hono();
    app.on("GET", ["/v1/availability"], provisionalReads("S1", journal, replica));
    app.get("/v1/availability", (c) =>
      c.req.header("If-None-Match") === '"replica"'
        ? c.body(null, 304, { ETag: '"replica"' })
        : c.json({ sku: "A1", totalAvailable: 2, perStore: [row] }, 200, { ETag: '"replica"' }),
    );
    const fresh = await app.request("/v1/availability?sku=A1&storeId=S1");
    expect(fresh.headers.get("x-offline-provisional")).toBe("true");
    expect(fresh.headers.get("etag")).not.toBe('"replica"');
    expect(await fresh.json()).toMatchObject({ totalAvailable: 0, perStore: [{ onHand: -1, available: -1, provisional: true }] });
    const stale = await app.request("/v1/availability?sku=A1&storeId=S1", { headers: { "If-None-Match": '"replica"' } });
    expect(stale.status).toBe(200);
    expect(await stale.json()).toMatchObject({ perStore: [{ onHand: -1, provisional: true }] });
    const same = await app.request("/v1/availability?sku=A1&storeId=S1", { headers: { "If-None-Match": fresh.headers.get("etag")! } });
    expect(same.status).toBe(304);
  });
});
