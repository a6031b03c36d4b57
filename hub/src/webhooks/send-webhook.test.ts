import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { systemResolver } from "./resolve-target.js";
import { sendWebhook } from "./send-webhook.js";
import { targetPolicyOf } from "./target-address.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const listen = (handler: Parameters<typeof createServer>[1]) =>
  new Promise<string>((resolve) => {
    server = createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/hook`));
  });
const loopback = { policy: targetPolicyOf("127.0.0.0/8"), resolveHost: systemResolver, timeoutMs: 500 };

describe("sending one webhook", () => {
  it("given a receiver answering 204, then it is delivered with the body and headers as given", async () => {
    let received: { body: string; id: string | undefined } | undefined;
    const url = await listen((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received = { body, id: req.headers["webhook-id"] as string | undefined };
        res.writeHead(204).end();
      });
    });
    const result = await sendWebhook(
      { url, headers: { "webhook-id": "d-1", "content-type": "application/json" }, body: '{"a":1}' },
      loopback,
    );
    expect(result).toEqual({ delivered: true, status: 204, error: null });
    expect(received).toEqual({ body: '{"a":1}', id: "d-1" });
  });

  it("given a 500, a redirect or no answer in time, then it is not delivered and says why", async () => {
    const url = await listen((req, res) => {
      if (req.url === "/hook") res.writeHead(500).end("no");
      else if (req.url === "/moved") res.writeHead(302, { location: "http://127.0.0.1:1/" }).end();
      // /slow never answers
    });
    expect(await sendWebhook({ url, headers: {}, body: "{}" }, loopback)).toEqual({
      delivered: false,
      status: 500,
      error: "answered HTTP 500",
    });
    expect(await sendWebhook({ url: url.replace("/hook", "/moved"), headers: {}, body: "{}" }, loopback)).toMatchObject({
      delivered: false,
      status: 302,
    });
    const started = Date.now();
    expect(await sendWebhook({ url: url.replace("/hook", "/slow"), headers: {}, body: "{}" }, loopback)).toEqual({
      delivered: false,
      status: null,
      error: "no answer within 500 ms",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("given the caller's signal aborted mid-attempt, then it ends at once as stopped, not as the receiver's failure", async () => {
    const url = await listen(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await sendWebhook({ url, headers: {}, body: "{}" }, { ...loopback, timeoutMs: 5000, signal: controller.signal });
    expect(result).toEqual({ delivered: false, status: null, error: "the hub stopped during the attempt", stopped: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("given a loopback receiver and a policy of public addresses only, then nothing is sent", async () => {
    let called = false;
    const url = await listen((_req, res) => {
      called = true;
      res.writeHead(200).end();
    });
    const result = await sendWebhook({ url, headers: {}, body: "{}" }, { ...loopback, policy: targetPolicyOf("false") });
    expect(result).toMatchObject({ delivered: false, status: null, error: "refused: 127.0.0.1 is not a public address" });
    const byName = await sendWebhook(
      { url: url.replace("127.0.0.1", "localhost"), headers: {}, body: "{}" },
      { ...loopback, policy: targetPolicyOf("false") },
    );
    expect(byName.error).toMatch(/^refused: localhost resolves to/);
    expect(called).toBe(false);
  });
});
