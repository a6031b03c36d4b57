import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMetrics,
  notFound,
  observeRequests,
  onError,
  requestObserver,
  serveHttp,
  silentLogger,
  type DirectRoute,
  type FinishedRequest,
  type RequestObserver,
} from "@inventory/platform";
import { message, stock } from "../test/replica-messages.js";
import { availabilityAnswers } from "./availability-answer.js";
import { directAvailabilityRead } from "./direct-availability-read.js";
import { createFreshness } from "./freshness.js";
import { LAG_HEADER, readRoutes } from "./read-routes.js";
import { openReplicaStore } from "./replica-store.js";

/** The observer every path reports to, recording which requests it saw. */
const recording = (inner: RequestObserver) => {
  const seen: FinishedRequest[] = [];
  return { seen, observer: { finished: (r: FinishedRequest) => (seen.push(r), inner.finished(r)) } };
};

const store = openReplicaStore(":memory:");
store.applyBatch("stock", 0, [message(0, stock("A1", "S1", 5, 3), stock("A1", "S2", 2, 1), stock("B2", "S1", 0, 1))]);
const replica = { store: () => store, freshness: () => createFreshness({ idleFetchMs: 1000, startedAt: Date.now() }) };

/** A read server over the replica: with the direct path, or the routed path alone. */
const startServer = async (withDirect: boolean, enabled = () => true) => {
  const { seen, observer } = recording(requestObserver(silentLogger, createMetrics("edge-agent")));
  const answer = availabilityAnswers(replica);
  const app = new Hono();
  app.use("*", observeRequests(observer));
  app.route("/", readRoutes(replica, answer));
  app.notFound(notFound);
  app.onError(onError(silentLogger));
  const directRoute = directAvailabilityRead(answer, observer, { lagHeader: LAG_HEADER, enabled });
  const answered = { directly: 0 };
  const direct: DirectRoute = (req, res) => {
    const done = directRoute(req, res);
    if (done) answered.directly += 1;
    return done;
  };
  const server = await serveHttp(app, { port: 0, host: "127.0.0.1", direct: withDirect ? direct : undefined }, silentLogger);
  return { server, seen, answered, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/** What a caller sees of an answer, less what differs per request (its date and a fresh trace id). */
const seenByCaller = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== "date" && name !== "x-trace-id"));
  return { status: res.status, headers, body: await res.text(), traceId: res.headers.get("x-trace-id") };
};

describe("GET /v1/availability answered directly", () => {
  let direct: Awaited<ReturnType<typeof startServer>>;
  let routed: Awaited<ReturnType<typeof startServer>>;
  let disabled: Awaited<ReturnType<typeof startServer>>;
  const servers: Server[] = [];

  beforeAll(async () => {
    direct = await startServer(true);
    routed = await startServer(false);
    disabled = await startServer(true, () => false);
    servers.push(direct.server, routed.server, disabled.server);
  });
  afterAll(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it.each([
    ["chain-wide", "/v1/availability?sku=A1"],
    ["one store", "/v1/availability?sku=A1&storeId=S2"],
    ["a store without the SKU's stock", "/v1/availability?sku=B2&storeId=S1"],
  ])("given a plain query (%s), when read on both paths, then status, headers and body are the same", async (_, path) => {
    const before = direct.answered.directly;
    const a = await seenByCaller(direct.url + path);
    const b = await seenByCaller(routed.url + path);
    expect(a.status).toBe(200);
    expect({ ...a, traceId: undefined }).toEqual({ ...b, traceId: undefined });
    expect(a.headers[LAG_HEADER.toLowerCase()]).toBeDefined();
    expect(a.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(direct.answered.directly).toBe(before + 1);
    expect(routed.answered.directly).toBe(0);
  });

  it("given the ETag held, when read again on both paths, then both answer 304 with the same headers", async () => {
    const { headers } = await seenByCaller(`${direct.url}/v1/availability?sku=A1`);
    const init = { headers: { "If-None-Match": `W/${headers.etag}, "other"` } };
    expect((await seenByCaller(`${direct.url}/v1/availability?sku=B2`, { headers: { "If-None-Match": "*" } })).status).toBe(304);
    const a = await seenByCaller(`${direct.url}/v1/availability?sku=A1`, init);
    const b = await seenByCaller(`${routed.url}/v1/availability?sku=A1`, init);
    expect(a.status).toBe(304);
    expect(a.body).toBe("");
    expect({ ...a, traceId: undefined }).toEqual({ ...b, traceId: undefined });
  });

  it("given a well-formed X-Trace-Id, when read directly, then it is echoed and reported with the request", async () => {
    const before = direct.answered.directly;
    const a = await seenByCaller(`${direct.url}/v1/availability?sku=A1`, { headers: { "X-Trace-Id": "till-7.42" } });
    expect(direct.answered.directly).toBe(before + 1);
    expect(a.traceId).toBe("till-7.42");
    expect(direct.seen.at(-1)).toMatchObject({ traceId: "till-7.42", route: "/v1/availability", status: 200, method: "GET" });
  });

  it.each([
    ["an unknown SKU", "/v1/availability?sku=NOPE", 404],
    ["an unknown store", "/v1/availability?sku=A1&storeId=S9", 404],
    ["an invalid SKU", "/v1/availability?sku=%20bad", 400],
    ["an encoded query", "/v1/availability?sku=%41%31", 200],
    ["a repeated key", "/v1/availability?sku=A1&sku=B2", 200],
    ["the keys in another order", "/v1/availability?storeId=S1&sku=A1", 200],
  ])("given %s, when read on both paths, then the routed path answers both alike", async (_, path, status) => {
    const before = direct.answered.directly;
    const a = await seenByCaller(direct.url + path);
    expect(direct.answered.directly).toBe(before);
    const b = await seenByCaller(routed.url + path);
    expect(a.status).toBe(status);
    expect({ ...a, traceId: undefined }).toEqual({ ...b, traceId: undefined });
  });

  it("given a consistency token, when read, then the routed path judges it (400 for a token it did not issue)", async () => {
    const before = direct.answered.directly;
    const a = await seenByCaller(`${direct.url}/v1/availability?sku=A1`, { headers: { "X-Consistency-Token": "forged" } });
    expect(a.status).toBe(400);
    expect(direct.answered.directly).toBe(before);
  });

  it("given the direct path disabled, when read, then the routed path answers the same", async () => {
    const a = await seenByCaller(`${disabled.url}/v1/availability?sku=A1`);
    const b = await seenByCaller(`${routed.url}/v1/availability?sku=A1`);
    expect(disabled.answered.directly).toBe(0);
    expect(a.status).toBe(200);
    expect({ ...a, traceId: undefined }).toEqual({ ...b, traceId: undefined });
  });
});
