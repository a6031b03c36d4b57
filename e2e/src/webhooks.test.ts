import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { eventually, freePort, infra, sleep } from "./harness/infra.js";
import { startProcess } from "./harness/processes.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

/**
 * Webhooks against a real hub, PostgreSQL and Kafka: a receiver on loopback (the hub allows 127.0.0.0/8 and ::1)
 * checks every delivery's Standard Webhooks signature as an integrator would, from the secret it was given.
 */
const RETRY_WINDOW_MS = 12_000;
const hubEnv = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: "127.0.0.0/8,::1/128",
  WEBHOOK_TIMEOUT_MS: "1000",
  WEBHOOK_RETRY_FIRST_DELAY_MS: "100",
  WEBHOOK_RETRY_MAX_DELAY_MS: "1000",
  WEBHOOK_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
  WEBHOOK_POLL_MS: "100",
};
let system: TestSystem;
const receivers: Receiver[] = [];

beforeAll(async () => {
  system = await startSystem({ hubEnv });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "A1", perStore: { S1: 1000, S2: 1000 } },
      { sku: "B2", perStore: { S1: 1000, S2: 1000 } },
    ],
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await system?.close();
});

/** A delivery's body: a stream event's `data`. */
interface StockChange {
  readonly sku: string;
  readonly storeId: string;
  readonly onHand: number;
  readonly version: number;
  readonly eventId: string;
}

interface Delivery {
  readonly deliveryId: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastResponseStatus: number | null;
}

interface Received {
  readonly id: string;
  readonly timestamp: number;
  readonly body: StockChange;
  readonly traceId: string | undefined;
}

interface Receiver {
  readonly url: string;
  /** Deliveries whose signature verified and that were answered 2xx, in arrival order. */
  readonly accepted: Received[];
  /** Every request, answered or not. */
  readonly requests: Received[];
  badSignatures: number;
  secret: string;
  close(): Promise<void>;
}

/** Verifies as the Standard Webhooks specification says: HMAC-SHA256 of `${id}.${timestamp}.${body}` with the decoded secret. */
const signatureValid = (secret: string, id: string, timestamp: string, body: string, header: string) => {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(" ").some((part) => {
    const [version, value] = part.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
};

/** A receiver on loopback; `answer` picks the status for each verified request (and may delay it). */
const startReceiver = async (answer: (r: Received, attemptOfId: number) => Promise<number> | number = () => 204): Promise<Receiver> => {
  const attemptsById = new Map<string, number>();
  const receiver: Receiver = { url: "", accepted: [], requests: [], badSignatures: 0, secret: "", close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", async () => {
      const id = String(req.headers["webhook-id"] ?? "");
      const timestamp = String(req.headers["webhook-timestamp"] ?? "");
      const signature = String(req.headers["webhook-signature"] ?? "");
      if (!signatureValid(receiver.secret, id, timestamp, raw, signature) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) {
        receiver.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const received = {
        id,
        timestamp: Number(timestamp),
        body: JSON.parse(raw),
        traceId: req.headers["x-trace-id"] as string | undefined,
      };
      receiver.requests.push(received);
      const attempt = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, attempt);
      const status = await answer(received, attempt);
      if (status >= 200 && status < 300) receiver.accepted.push(received);
      if (!res.destroyed) res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  receivers.push(receiver);
  return receiver;
};

const subscribe = async (receiver: Receiver, body: Record<string, unknown>) => {
  const res = await system.hub.post("/v1/webhooks", { url: receiver.url, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  receiver.secret = res.body.secret;
  return res.body as { webhookId: string; secret: string };
};

const get = (path: string, token = tokenFor("operator")) => system.hub.get(path, { Authorization: `Bearer ${token}` });
const adjust = (storeId: string, sku: string, delta: number) =>
  system.hub.post("/v1/adjustments", { storeId, sku, delta, reason: "manual" });
const ALL_TYPES = ["StockAdjusted", "StockRecounted", "StockReserved", "StockReleased", "StockSold", "StockTransferred"];

/** Per item, the versions delivered, in the order they were accepted. */
const versionsByItem = (received: readonly Received[]) => {
  const byItem = new Map<string, number[]>();
  for (const r of received) {
    const key = `${r.body.storeId}:${r.body.sku}`;
    byItem.set(key, [...(byItem.get(key) ?? []), r.body.version]);
  }
  return byItem;
};
const isIncreasing = (versions: number[]) => versions.every((v, i) => i === 0 || v > versions[i - 1]!);

describe("webhook subscriptions", () => {
  it("given bad input, then 400 with the error shape; private targets 400 WEBHOOK_TARGET_REFUSED; nothing is stored", async () => {
    const bad = [
      { url: "ftp://127.0.0.1/x", eventTypes: ["StockAdjusted"] },
      { url: "not a url", eventTypes: ["StockAdjusted"] },
      { url: "http://127.0.0.1/x", eventTypes: [] },
      { url: "http://127.0.0.1/x", eventTypes: ["NoSuchEvent"] },
      { url: "http://user:pw@127.0.0.1/x", eventTypes: ["StockAdjusted"] },
      { url: "http://127.0.0.1/x", eventTypes: ["StockAdjusted"], extra: 1 },
    ];
    for (const body of bad) {
      const res = await system.hub.post("/v1/webhooks", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("VALIDATION_ERROR");
    }
    for (const url of [
      "http://10.0.0.1/x",
      "http://192.168.1.20/x",
      "http://169.254.169.254/latest/meta-data",
      "http://[fe80::1]/x",
      "http://[::ffff:10.0.0.1]/x",
    ]) {
      const res = await system.hub.post("/v1/webhooks", { url, eventTypes: ["StockAdjusted"] });
      expect(res.status, url).toBe(400);
      expect(res.body).toMatchObject({ code: "WEBHOOK_TARGET_REFUSED", message: expect.stringContaining("not a public address") });
    }
    const unresolvable = await system.hub.post("/v1/webhooks", {
      url: "https://no-such-host.invalid/hooks",
      eventTypes: ["StockAdjusted"],
    });
    expect(unresolvable.status).toBe(400);
    expect(unresolvable.body).toMatchObject({ code: "WEBHOOK_TARGET_REFUSED", host: "no-such-host.invalid" });
    const { rows } = await system.db.query("SELECT count(*)::int AS n FROM webhook_subscriptions");
    expect(rows[0].n).toBe(0);
  });

  it("given roles, then an operator manages webhooks, a clerk or the web shop is 403, no token 401; unknown ids 404", async () => {
    const body = { url: "http://127.0.0.1:9/hooks", eventTypes: ["StockAdjusted"] };
    expect((await system.hub.post("/v1/webhooks", body, { token: tokenFor("clerk", { stores: ["S1"] }) })).status).toBe(403);
    expect((await system.hub.post("/v1/webhooks", body, { token: tokenFor("ecommerce") })).status).toBe(403);
    expect((await system.hub.post("/v1/webhooks", body, { token: null })).status).toBe(401);
    expect((await get("/v1/webhooks", tokenFor("backoffice"))).status).toBe(403);
    expect((await system.hub.get("/v1/webhooks")).status).toBe(401);

    const key = randomUUID();
    const created = await system.hub.post("/v1/webhooks", body, { token: tokenFor("operator"), key });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "ACTIVE", url: body.url, eventTypes: ["StockAdjusted"], sku: null, storeId: null });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created.headers.get("location")).toBe(`/v1/webhooks/${created.body.webhookId}`);
    const replay = await system.hub.post("/v1/webhooks", body, { token: tokenFor("operator"), key });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.webhookId).toBe(created.body.webhookId);

    const one = await get(`/v1/webhooks/${created.body.webhookId}`);
    expect(one.status).toBe(200);
    expect(one.body.secret).toBeUndefined();
    expect(one.body.webhookId).toBe(created.body.webhookId);
    const list = await get("/v1/webhooks?limit=1");
    expect(list.body.items.map((w: { webhookId: string }) => w.webhookId)).toEqual([created.body.webhookId]);

    const unknown = randomUUID();
    expect((await get(`/v1/webhooks/${unknown}`)).body).toMatchObject({ code: "NOT_FOUND", webhookId: unknown });
    expect((await get(`/v1/webhooks/${unknown}/deliveries`)).status).toBe(404);
    expect((await get("/v1/webhooks/not-a-uuid")).status).toBe(400);
    const del = await fetch(`${system.hubUrl}/v1/webhooks/${created.body.webhookId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${tokenFor("operator")}` },
    });
    expect(del.status).toBe(204);
    expect((await get(`/v1/webhooks/${created.body.webhookId}`)).status).toBe(404);
  });
});

describe("webhook deliveries", () => {
  it("given a store filter, then every change at that store arrives signed, in order per item, shaped as the stream's events", async () => {
    const receiver = await startReceiver();
    const { webhookId } = await subscribe(receiver, { eventTypes: ALL_TYPES, storeId: "S1" });
    const stream = await fetch(`${system.hubUrl}/v1/stream/stock?storeId=S1`, { signal: AbortSignal.timeout(60_000) });
    const sse: StockChange[] = [];
    const reading = (async () => {
      let buffer = "";
      try {
        for await (const chunk of stream.body!) {
          buffer += Buffer.from(chunk as Uint8Array).toString();
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const data = buffer
              .slice(0, end)
              .split("\n")
              .find((l) => l.startsWith("data:"));
            buffer = buffer.slice(end + 2);
            if (data) sse.push(JSON.parse(data.slice(5)));
          }
        }
      } catch {
        /* ended */
      }
    })();
    await sleep(300);
    for (let i = 0; i < 10; i++) await Promise.all([adjust("S1", "A1", -1), adjust("S1", "B2", -1), adjust("S2", "A1", -1)]);

    await eventually(() => expect(receiver.accepted.length).toBe(20), 20_000, 100);
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.accepted.every((r) => r.body.storeId === "S1")).toBe(true);
    const byItem = versionsByItem(receiver.accepted);
    expect([...byItem.keys()].sort()).toEqual(["S1:A1", "S1:B2"]);
    for (const versions of byItem.values()) {
      expect(versions).toHaveLength(10);
      expect(isIncreasing(versions)).toBe(true);
    }
    // The same body as the stream's `data` for the same event.
    await eventually(() => expect(sse.filter((e) => e.storeId === "S1").length).toBeGreaterThanOrEqual(20), 10_000, 100);
    for (const r of receiver.accepted) expect(r.body).toEqual(sse.find((e) => e.eventId === r.body.eventId));
    expect(receiver.accepted.every((r) => typeof r.traceId === "string" && r.traceId.length > 0)).toBe(true);
    const last = receiver.accepted.filter((r) => r.body.sku === "A1").pop()!;
    const { rows } = await system.db.query("SELECT on_hand, version FROM stock_items WHERE store_id = 'S1' AND sku = 'A1'");
    expect({ onHand: last.body.onHand, version: last.body.version }).toEqual({ onHand: rows[0].on_hand, version: rows[0].version });

    const page = await get(`/v1/webhooks/${webhookId}/deliveries?limit=15`);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(15);
    expect(page.body.items.every((d: { status: string; attempts: number }) => d.status === "DELIVERED" && d.attempts === 1)).toBe(true);
    const rest = await get(`/v1/webhooks/${webhookId}/deliveries?limit=15&cursor=${page.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.nextCursor).toBeNull();
    const ids = new Set([...page.body.items, ...rest.body.items].map((d: { deliveryId: string }) => d.deliveryId));
    expect(ids).toEqual(new Set(receiver.accepted.map((r) => r.id)));
    await fetch(`${system.hubUrl}/v1/webhooks/${webhookId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${tokenFor("admin")}` },
    });
    void reading;
  });

  it("given a receiver answering 500, then the same delivery is sent again and the item's later changes wait behind it", async () => {
    const receiver = await startReceiver((_r, attempt) => (attempt <= 2 ? 500 : 200));
    const { webhookId } = await subscribe(receiver, { eventTypes: ["StockAdjusted"], storeId: "S2", sku: "B2" });
    for (let i = 0; i < 3; i++) expect((await adjust("S2", "B2", -1)).status).toBe(202);
    await eventually(() => expect(receiver.accepted).toHaveLength(3), 20_000, 100);
    const versions = receiver.accepted.map((r) => r.body.version);
    expect(isIncreasing(versions)).toBe(true);
    // Each delivery: two 500s, then accepted, with one webhook-id; nothing of the next one before.
    expect(receiver.requests.map((r) => r.body.version)).toEqual(versions.flatMap((v) => [v, v, v]));
    const ids = receiver.requests.map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    const page = await get(`/v1/webhooks/${webhookId}/deliveries`);
    expect(page.body.items.map((d: Delivery) => [d.status, d.attempts, d.lastResponseStatus])).toEqual([
      ["DELIVERED", 3, 200],
      ["DELIVERED", 3, 200],
      ["DELIVERED", 3, 200],
    ]);
    await fetch(`${system.hubUrl}/v1/webhooks/${webhookId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${tokenFor("admin")}` },
    });
  }, 30_000);

  it("given the hub killed while deliveries are pending and in flight, then after a restart every change is delivered", async () => {
    let inFlight = 0;
    const receiver = await startReceiver(async () => {
      inFlight++;
      await sleep(300);
      inFlight--;
      return 200;
    });
    const { webhookId } = await subscribe(receiver, { eventTypes: ["StockAdjusted"], sku: "A1" });
    const events = 24;
    for (let i = 0; i < events / 2; i++) await Promise.all([adjust("S1", "A1", -1), adjust("S2", "A1", -1)]);
    await eventually(async () => {
      const { rows } = await system.db.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1", [webhookId]);
      expect(rows[0].n).toBe(events);
    }, 20_000);
    // Killed while the receiver holds unanswered requests: those deliveries are in flight.
    await eventually(() => expect(receiver.requests.length >= 3 && inFlight > 0).toBe(true), 10_000, 5);
    await system.stopHub("SIGKILL");
    const deliveredBeforeKill = receiver.accepted.length;
    expect(deliveredBeforeKill).toBeLessThan(events);
    const { rows: left } = await system.db.query(
      "SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*) FILTER (WHERE leased_until > now())::int AS leased FROM webhook_deliveries WHERE webhook_id = $1",
      [webhookId],
    );
    expect(left[0].pending).toBeGreaterThan(0);
    expect(left[0].leased).toBeGreaterThan(0);
    await system.startHub();
    await eventually(() => expect(new Set(receiver.accepted.map((r) => r.body.eventId)).size).toBe(events), 30_000, 100);
    const byItem = versionsByItem(receiver.accepted);
    for (const versions of byItem.values()) expect(isIncreasing([...new Set(versions)])).toBe(true);
    const { rows } = await system.db.query(
      "SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'DELIVERED'",
      [webhookId],
    );
    expect(rows[0].n).toBe(events);
    console.log(
      `webhooks across a kill: ${events} changes, ${deliveredBeforeKill} delivered before the kill, ${left[0].pending} pending (${left[0].leased} in flight) at the kill, ${receiver.accepted.length - events} sent twice`,
    );
    await fetch(`${system.hubUrl}/v1/webhooks/${webhookId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${tokenFor("admin")}` },
    });
  }, 90_000);

  it(
    "given a receiver that keeps failing, then the subscription is disabled after the retry window with the reason shown",
    async () => {
      const receiver = await startReceiver(() => 503);
      const { webhookId } = await subscribe(receiver, { eventTypes: ["StockAdjusted"], storeId: "S1", sku: "B2" });
      const started = Date.now();
      expect((await adjust("S1", "B2", -1)).status).toBe(202);
      expect((await adjust("S1", "B2", -1)).status).toBe(202);
      const disabled = await eventually(
        async () => {
          const res = await get(`/v1/webhooks/${webhookId}`);
          expect(res.body.status).toBe("DISABLED");
          return res.body;
        },
        RETRY_WINDOW_MS + 15_000,
        200,
      );
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(RETRY_WINDOW_MS - 1000);
      expect(disabled.disabledReason).toMatch(/still failing after 12 s and \d+ attempts: answered HTTP 503/);
      expect(disabled.disabledAt).toEqual(expect.any(String));
      const page = await get(`/v1/webhooks/${webhookId}/deliveries`);
      const statuses = page.body.items.map((d: Delivery) => d.status).sort();
      expect(statuses).toEqual(["FAILED", "PENDING"]);
      const failed: Delivery = page.body.items.find((d: Delivery) => d.status === "FAILED");
      expect(failed.attempts).toBeGreaterThan(3);
      expect(failed.lastResponseStatus).toBe(503);
      // Only the first change was ever sent: the second waited behind it.
      expect(new Set(receiver.requests.map((r) => r.id)).size).toBe(1);
      const attemptsSoFar = receiver.requests.length;
      await sleep(1500);
      expect(receiver.requests.length).toBe(attemptsSoFar);
      console.log(`webhook disabled ${elapsed} ms after the first change, after ${failed.attempts} attempts`);
    },
    RETRY_WINDOW_MS + 30_000,
  );

  it("given two hubs sharing the database and the group, then each change is delivered once, in order per item", async () => {
    const name = `hub2-webhooks-${randomUUID().slice(0, 8)}`;
    const second = await startProcess("hub", name, await freePort(), {
      KAFKA_BROKERS: system.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: system.topicPrefix,
      DATABASE_URL: system.databaseUrl,
      ALLOW_DEV_TOKEN: "true",
      HUB_INSTANCE_ID: "hub2",
      HUB_REPLICA_PATH: `${system.replicaDir}/${name}.sqlite`,
      ...hubEnv,
    });
    try {
      const receiver = await startReceiver();
      const { webhookId } = await subscribe(receiver, { eventTypes: ["StockAdjusted"] });
      const events = 24;
      for (let i = 0; i < events / 4; i++) {
        await Promise.all([adjust("S1", "A1", -1), adjust("S1", "B2", -1), adjust("S2", "A1", -1), adjust("S2", "B2", -1)]);
      }
      await eventually(() => expect(receiver.accepted.length).toBe(events), 30_000, 100);
      await sleep(1000);
      expect(receiver.requests).toHaveLength(events);
      expect(new Set(receiver.requests.map((r) => r.id)).size).toBe(events);
      for (const versions of versionsByItem(receiver.accepted).values()) expect(isIncreasing(versions)).toBe(true);
      const bySecond = readFileSync(`${infra.logDir()}/${name}.log`, "utf8")
        .split("\n")
        .filter((line) => line.includes('"webhook delivered"') && line.includes(webhookId)).length;
      console.log(`two hubs: ${events} changes delivered once each, ${bySecond} of them by the second hub`);
      // A graceful stop cuts its attempts short and exits cleanly.
      expect(await second.stop()).toBe(0);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
