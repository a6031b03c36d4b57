import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, traceId, type TraceVariables } from "@inventory/platform";
import { createCircuitBreaker } from "./circuit-breaker.js";
import { forwardToHub } from "./hub-forwarder.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** A real local server standing in for the hub, on a port of its own. */
const hubThat = async (onRequest: Parameters<typeof createServer>[1]): Promise<string> => {
  const server = createServer(onRequest);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const write = async (hubUrl: string) => {
  const app = new Hono<{ Variables: TraceVariables }>();
  app.use("*", traceId());
  app.post(
    "/v1/adjustments",
    forwardToHub({ hubUrl, timeoutMs: 300, breaker: createCircuitBreaker({ failureThreshold: 3, openMs: 1000 }), log: silentLogger }),
  );
  const res = await app.request("/v1/adjustments", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": "k-1" },
    body: "{}",
  });
  return { status: res.status, body: (await res.json()) as { code: string; message: string; dependency: string } };
};

describe("a write the agent cannot get answered by the hub", () => {
  it("given a hub that refuses connections, when a write is forwarded, then 503 says nothing was changed", async () => {
    const url = await hubThat(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    const { status, body } = await write(url);
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: "UNAVAILABLE", dependency: "hub" });
    expect(body.message).toMatch(/connection failed\); nothing was changed/);
  });

  it("given a hub that took the request and never answered, when the agent gives up, then 503 says the write may have been applied", async () => {
    let received = 0;
    const url = await hubThat(() => {
      received += 1;
    });
    const { status, body } = await write(url);
    expect(received).toBe(1);
    expect(status).toBe(503);
    expect(body.message).toMatch(/did not answer \(timed out\); the write may have been applied: retry with the same Idempotency-Key/);
  });

  it("given a hub whose connection drops after it took the request, when the agent gives up, then 503 says the write may have been applied", async () => {
    const url = await hubThat((req) => req.socket.destroy());
    const { status, body } = await write(url);
    expect(status).toBe(503);
    expect(body.message).toMatch(/did not answer \(connection lost\); the write may have been applied/);
  });
});
