import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonWithEtag } from "./json-with-etag.js";
import { traceId } from "./trace-id.js";

const app = new Hono().use("*", traceId()).get("/thing", (c) => jsonWithEtag(c, { sku: "A1", onHand: 3 }));

/** The same checks through `app.request()` and through a real Node server, whose headers take another path. */
const transports: [string, (path: string, headers?: Record<string, string>) => Promise<Response>][] = [
  ["app.request", (path, headers) => Promise.resolve(app.request(path, { headers }))],
  ["node server", (path, headers) => fetch(`${base}${path}`, { headers })],
];
let server: Server;
let base = "";

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1", createServer }, () => resolve(s as Server)) as Server;
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe.each(transports)("jsonWithEtag over %s", (_name, get) => {
  it("given a read, when answered, then 200 with the JSON body, a strong ETag of it and the caller's trace id", async () => {
    const res = await get("/thing", { "X-Trace-Id": "trace-1" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{40}"$/);
    expect(res.headers.get("x-trace-id")).toBe("trace-1");
    expect(await res.json()).toEqual({ sku: "A1", onHand: 3 });
  });

  it("given the caller holds the current ETag, when asked again, then 304 with the same ETag", async () => {
    const tag = (await get("/thing")).headers.get("etag")!;
    const res = await get("/thing", { "If-None-Match": `"stale", W/${tag}` });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(tag);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-trace-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("given If-None-Match: *, when asked, then 304 (any current body matches)", async () => {
    expect((await get("/thing", { "If-None-Match": "*" })).status).toBe(304);
  });

  it("given a stale ETag, when asked, then 200", async () => {
    expect((await get("/thing", { "If-None-Match": '"stale"' })).status).toBe(200);
  });
});
