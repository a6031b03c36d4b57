import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./harness/infra.js";
import { apiClient } from "./harness/http-client.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

let system: TestSystem;
let strict: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(system, ["S1", "S2"], [{ sku: "X1", perStore: { S1: 1000, S2: 1000 } }]);
  strict = await startSystem({
    hubEnv: { ALLOW_DEV_TOKEN: "false", READS_REQUIRE_TOKEN: "true", RATE_LIMIT_WRITES_PER_SECOND: "2", RATE_LIMIT_WRITE_BURST: "5" },
  });
});
afterAll(async () => {
  await system?.close();
  await strict?.close();
});

const tokens: Record<string, string> = {
  "clerk of S1": tokenFor("clerk", { stores: ["S1"] }),
  ecommerce: tokenFor("ecommerce"),
  backoffice: tokenFor("backoffice"),
  operator: tokenFor("operator"),
  admin: tokenFor("admin"),
};

/** Every write endpoint, with a body that the command accepts when the caller may send it. */
const writes: Record<string, () => Promise<[string, unknown]>> = {
  "adjust at S1": async () => ["/v1/adjustments", { storeId: "S1", sku: "X1", delta: 1, reason: "restock" }],
  "adjust at S2": async () => ["/v1/adjustments", { storeId: "S2", sku: "X1", delta: 1, reason: "restock" }],
  "recount at S1": async () => ["/v1/items:set-absolute", { storeId: "S1", sku: "X1", onHand: 1000 }],
  "reserve at S1": async () => ["/v1/reservations", { storeId: "S1", lines: [{ sku: "X1", qty: 1 }] }],
  "reserve at S2": async () => ["/v1/reservations", { storeId: "S2", lines: [{ sku: "X1", qty: 1 }] }],
  "confirm at S2": async () => {
    const r = await system.hub.post("/v1/reservations", { storeId: "S2", lines: [{ sku: "X1", qty: 1 }] });
    return [`/v1/reservations/${r.body.reservationId}:confirm`, {}];
  },
  purchase: async () => ["/v1/purchase", { sku: "X1", qty: 1 }],
  "create store": async () => ["/v1/stores", { storeId: `N${randomUUID().slice(0, 8)}`, name: "New" }],
  "create product": async () => ["/v1/products", { sku: `P${randomUUID().slice(0, 8)}`, name: "New", initialOnHand: 0 }],
  reconcile: async () => ["/v1/reconciliations", { storeId: "S2", snapshotOnHand: { X1: 1000 } }],
  transfer: async () => ["/v1/transfers", { fromStore: "S1", toStore: "S2", lines: [{ sku: "X1", qty: 1 }] }],
};

const allowed: Record<string, string[]> = {
  "clerk of S1": ["adjust at S1", "recount at S1", "reserve at S1"],
  ecommerce: ["reserve at S1", "reserve at S2", "confirm at S2", "purchase"],
  backoffice: ["adjust at S1", "adjust at S2", "recount at S1", "create store", "create product", "reconcile", "transfer"],
  operator: [],
  admin: Object.keys(writes),
};

describe("who may do what", () => {
  for (const [who, token] of Object.entries(tokens)) {
    it(`${who}: allowed where the role grants it, 403 elsewhere`, async () => {
      const outcomes: Record<string, number> = {};
      for (const [name, request] of Object.entries(writes)) {
        const [path, body] = await request();
        const res = await system.hub.post(path, body, { token });
        outcomes[name] = res.status;
        if (allowed[who]!.includes(name))
          expect([name, res.status]).toEqual([name, expect.toSatisfy((s: number) => s === 201 || s === 202)]);
        else expect([name, res.status, res.body.code]).toEqual([name, 403, "FORBIDDEN"]);
      }
    });
  }

  it("the events timeline is for operators and admins", async () => {
    expect((await system.hub.get("/v1/events?limit=1", { Authorization: `Bearer ${tokens.operator}` })).status).toBe(200);
    expect((await system.hub.get("/v1/events?limit=1", { Authorization: `Bearer ${tokens.backoffice}` })).status).toBe(403);
    expect((await system.hub.get("/v1/events?limit=1")).status).toBe(401);
  });

  it("the agent passes the caller's token through and never upgrades it", async () => {
    const clerk = tokens["clerk of S1"]!;
    const here = await system
      .agent("S1")
      .post("/v1/adjustments", { storeId: "S1", sku: "X1", delta: -1, reason: "sale" }, { token: clerk });
    expect(here.status).toBe(202);
    const there = await system
      .agent("S1")
      .post("/v1/adjustments", { storeId: "S2", sku: "X1", delta: -1, reason: "sale" }, { token: clerk });
    expect(there.status).toBe(403);
    const none = await system.agent("S1").post("/v1/adjustments", { storeId: "S1", sku: "X1", delta: -1, reason: "sale" }, { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});

describe("tokens", () => {
  const body = { storeId: "S1", sku: "X1", delta: 1, reason: "restock" };
  it.each([
    ["expired", () => tokenFor("admin", { expiresInSeconds: -120 })],
    ["signed with another secret", () => tokenFor("admin", { secret: "not-the-secret-this-hub-trusts-0000000" })],
    [
      "tampered",
      () => {
        const [h, p, s] = tokens["clerk of S1"]!.split(".");
        const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
        return `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ["admin"] })).toString("base64url")}.${s}`;
      },
    ],
    ["not a token", () => "hello"],
  ])("refuses a token that is %s with 401 and WWW-Authenticate", async (_, make) => {
    const res = await system.hub.post("/v1/adjustments", body, { token: make() });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
  });

  it("scopes idempotency keys to the caller: the same key from two callers is two requests", async () => {
    const key = randomUUID();
    const a = await system.hub.post("/v1/adjustments", body, { key, token: tokenFor("backoffice", { subject: "alice" }) });
    const b = await system.hub.post("/v1/adjustments", body, { key, token: tokenFor("backoffice", { subject: "bob" }) });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(b.body.version).toBe(a.body.version + 1);
  });
});

describe("a hub in production posture", () => {
  it("does not accept the development token unless told to", async () => {
    const res = await strict.hub.post("/v1/stores", { storeId: "S1", name: "One" });
    expect(res.status).toBe(401);
    const ok = await strict.hub.post("/v1/stores", { storeId: "S1", name: "One" }, { token: tokenFor("admin") });
    expect(ok.status).toBe(201);
  });

  it("requires a token on reads when configured", async () => {
    const client = apiClient(strict.hubUrl);
    expect((await client.get("/v1/stores")).status).toBe(401);
    await eventually(async () => {
      const res = await client.get("/v1/stores", { Authorization: `Bearer ${tokenFor("clerk", { stores: ["S1"] })}` });
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    });
  });

  it("limits writes per caller: 429 with Retry-After once the burst is spent, other callers unaffected", async () => {
    const busy = tokenFor("admin", { subject: "busy" });
    // All at once, so the bucket (2/s, burst 5) has no time to refill between them on a slow machine.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => strict.hub.post("/v1/stores", { storeId: `R${i}`, name: "R" }, { token: busy })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(answers.filter((a) => a.status === 201).length).toBeLessThanOrEqual(6);
    for (const answer of limited) {
      expect(answer.body.code).toBe("RATE_LIMITED");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    const other = await strict.hub.post("/v1/stores", { storeId: "Q1", name: "Q" }, { token: tokenFor("admin", { subject: "calm" }) });
    expect(other.status).toBe(201);
  });
});

describe("hostile input", () => {
  it.each([
    ["a SKU of 65 characters", { storeId: "S1", sku: "X".repeat(65), delta: 1, reason: "restock" }],
    ["a SKU with a path in it", { storeId: "S1", sku: "../etc/passwd", delta: 1, reason: "restock" }],
    ["a store id with SQL in it", { storeId: "S1' OR '1'='1", sku: "X1", delta: 1, reason: "restock" }],
    ["a delta over 10^9", { storeId: "S1", sku: "X1", delta: 1_000_000_001, reason: "restock" }],
    ["a huge number", { storeId: "S1", sku: "X1", delta: Number.POSITIVE_INFINITY, reason: "restock" }],
  ])("answers 400 naming the field for %s, and changes nothing", async (_, body) => {
    const res = await system.hub.post("/v1/adjustments", body, { rawBody: JSON.stringify(body).replace("null", "1e400") });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_ERROR");
    expect(res.body.issues[0].path.length).toBeGreaterThan(0);
  });

  it("answers 413 for a body over the size limit, at the hub and at the agent", async () => {
    const huge = JSON.stringify({
      storeId: "S1",
      snapshotOnHand: Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`SKU-${i}`, 1])),
    });
    expect(huge.length).toBeGreaterThan(1_048_576);
    for (const client of [system.hub, system.agent("S1")]) {
      const res = await client.post("/v1/reconciliations", null, { rawBody: huge });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe("PAYLOAD_TOO_LARGE");
    }
  });

  it("answers 400 for a page size over 200 and for more than 100 lines", async () => {
    expect((await system.hub.get("/v1/products/totals?size=201")).status).toBe(400);
    const lines = Array.from({ length: 101 }, (_, i) => ({ sku: `L${i}`, qty: 1 }));
    expect((await system.hub.post("/v1/reservations", { storeId: "S1", lines })).status).toBe(400);
  });
});
