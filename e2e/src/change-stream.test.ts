import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, sleep } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;
const streamEnv = { STREAM_HEARTBEAT_MS: "400", STREAM_MAX_PER_CALLER: "3" };

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"], hubEnv: streamEnv, agentEnv: streamEnv });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "A1", perStore: { S1: 100 } },
      { sku: "B2", perStore: { S1: 5 } },
    ],
  );
});
afterAll(async () => {
  await system?.close();
});

interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: any;
}

/** An SSE client reading `GET /v1/stream/stock` with fetch: events as they come, comments counted. */
const openStream = async (baseUrl: string, query = "", headers: Record<string, string> = {}) => {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/v1/stream/stock${query}`, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  let comments = 0;
  const done = (async () => {
    if (res.status !== 200 || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(":")) {
            comments++;
            continue;
          }
          const fields = Object.fromEntries(
            block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trimStart()]),
          );
          events.push({ id: fields.id, event: fields.event ?? "message", data: JSON.parse(fields.data ?? "null") });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return { res, events, comments: () => comments, close: async () => (controller.abort(), await done) };
};

const adjust = (storeId: string, sku: string, delta: number) =>
  system.hub.post("/v1/adjustments", { storeId, sku, delta, reason: delta < 0 ? "sale" : "restock" });

describe("GET /v1/stream/stock", () => {
  it("sends one event per change with the item's state after it, in order, at the hub and at the agent", async () => {
    const streams = await Promise.all([system.hubUrl, system.agentUrl("S1")].map((url) => openStream(url, "?sku=A1")));
    for (const s of streams) {
      expect(s.res.status).toBe(200);
      expect(s.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    }
    await sleep(1500); // the stream's consumer joins its group from the topic's end
    const versions: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await adjust("S1", "A1", -1);
      expect(res.status).toBe(202);
      versions.push(res.body.version);
    }
    expect((await adjust("S1", "B2", 1)).status).toBe(202);
    // Changes from before (the seeding) may be on the stream too, if its consumer had joined by then.
    const ours = (s: { events: SseEvent[] }) => s.events.filter((e) => e.event === "stock" && e.data.version >= versions[0]!);
    for (const s of streams) {
      await eventually(() => expect(ours(s)).toHaveLength(5));
      expect(s.events.every((e) => e.data.sku === "A1")).toBe(true);
      const stock = ours(s);
      expect(stock.map((e) => e.data.version)).toEqual(versions);
      expect(stock.at(-1)!.data).toMatchObject({
        sku: "A1",
        storeId: "S1",
        onHand: 95,
        reserved: 0,
        available: 95,
        eventType: "StockAdjusted",
        reason: "sale",
      });
      expect(stock.at(-1)!.data.eventId).toEqual(expect.any(String));
      expect(new Set(stock.map((e) => e.id)).size).toBe(5);
    }
    // Heartbeats keep the quiet stream alive (every 400 ms here, 15 s by default).
    await sleep(1000);
    for (const s of streams) expect(s.comments()).toBeGreaterThanOrEqual(2);
    await Promise.all(streams.map((s) => s.close()));
  });

  it("resumes after Last-Event-ID without a gap or a duplicate, and sends reset for a position it does not keep", async () => {
    const first = await openStream(system.agentUrl("S1"), "?storeId=S1&sku=B2");
    await sleep(1500);
    expect((await adjust("S1", "B2", 1)).status).toBe(202);
    await eventually(() => expect(first.events).toHaveLength(1));
    await first.close();
    const missed: number[] = [];
    for (let i = 0; i < 3; i++) missed.push((await adjust("S1", "B2", 1)).body.version);
    await sleep(300);
    const resumed = await openStream(system.agentUrl("S1"), "?storeId=S1&sku=B2", { "Last-Event-ID": first.events[0]!.id! });
    await eventually(() => expect(resumed.events.map((e) => e.data.version)).toEqual(missed));
    await resumed.close();

    const stale = await openStream(system.agentUrl("S1"), "", { "Last-Event-ID": "not-from-here.1" });
    await eventually(() => expect(stale.events[0]?.event).toBe("reset"));
    await stale.close();
  });

  it("bounds the streams one caller holds open (429 beyond), and a 400 for a bad filter", async () => {
    const held = await Promise.all([1, 2, 3].map(() => openStream(system.hubUrl)));
    const refused = await fetch(`${system.hubUrl}/v1/stream/stock`);
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe("RATE_LIMITED");
    expect(refused.headers.get("retry-after")).toBe("5");
    await held[0]!.close();
    await eventually(async () => {
      const again = await openStream(system.hubUrl);
      expect(again.res.status).toBe(200);
      await again.close();
    });
    await Promise.all(held.slice(1).map((s) => s.close()));
    expect((await fetch(`${system.hubUrl}/v1/stream/stock?sku=bad%20sku`)).status).toBe(400);
  });
});
