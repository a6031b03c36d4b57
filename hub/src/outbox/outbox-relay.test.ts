import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInMemoryMessageBus, createMetrics, publishFailure, silentLogger, type InMemoryMessageBus } from "@inventory/platform";
import { stampEvent, storeRegisteredDraft, type EventEnvelope } from "@inventory/shared";
import { createInMemoryOutboxStore, type InMemoryOutboxStore } from "./in-memory-outbox-store.js";
import { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.js";
import type { RefusedMessage } from "./poison-policy.js";

const event = (storeId: string): EventEnvelope =>
  stampEvent(storeRegisteredDraft({ storeId, name: `Store ${storeId}`, latencyMs: null }), {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    traceId: `trace-${storeId}`,
  });
const rowsFor = (...keys: string[]) => keys.map((key) => ({ topic: "stock.events", key, event: event(key.split(":")[0]!) }));

let relay: OutboxRelay | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

const start = (store: InMemoryOutboxStore, bus: InMemoryMessageBus, more: Partial<OutboxRelayOptions> = {}) => {
  relay = startOutboxRelay({
    store,
    publisher: bus,
    brokerTopic: (t) => `test.${t}`,
    ensureTopics: async () => undefined,
    log: silentLogger,
    idlePollMs: 20,
    retryPolicy: () => 5,
    backlogIntervalMs: 10,
    ...more,
  });
  return relay;
};
const eventIdsOnBus = (bus: InMemoryMessageBus) =>
  bus
    .messages("test.stock.events")
    .sort((a, b) => a.offset - b.offset)
    .map((m) => m.headers.eventId);
const unpublished = (store: InMemoryOutboxStore) => store.rows().filter((r) => r.publishedAt === null);

describe("outbox relay", () => {
  it("given committed rows, when the relay runs, then each key's events reach Kafka in id order and every row is marked published in that order", async () => {
    const store = createInMemoryOutboxStore();
    const bus = createInMemoryMessageBus({ partitions: 3 });
    store.append(rowsFor("S1:A1", "S2:A1", "S1:B2", "S3:A1", "S1:A1", "S2:C3"));
    start(store, bus);

    await vi.waitFor(() => expect(unpublished(store)).toEqual([]));
    const byId = store.rows();
    for (const storeId of ["S1", "S2", "S3"]) {
      const expected = byId.filter((r) => r.messageKey.startsWith(`${storeId}:`)).map((r) => r.event.eventId);
      const onBus = bus.messages("test.stock.events").filter((m) => m.key!.toString().startsWith(`${storeId}:`));
      expect(new Set(onBus.map((m) => m.partition)).size).toBe(1);
      expect(onBus.map((m) => m.headers.eventId)).toEqual(expected);
    }
    expect(byId.map((r) => r.logPosition)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(relay!.status().published).toBe(6);
  });

  it("given one partition the brokers do not acknowledge, when the relay publishes, then no row of the batch is marked published, and once it is acknowledged every event is on Kafka", async () => {
    const store = createInMemoryOutboxStore();
    const bus = createInMemoryMessageBus({ partitions: 6 });
    const rows = rowsFor("S1:A1", "S2:A1", "S3:A1", "S4:A1");
    let refusedPartition = -1;
    bus.setFault((_message, partition) => {
      if (refusedPartition === -1) refusedPartition = partition;
      return partition === refusedPartition
        ? publishFailure(`the brokers did not acknowledge test.stock.events:${partition}`, false)
        : undefined;
    });
    store.append(rows);
    start(store, bus);

    await vi.waitFor(() => expect(relay!.status().lastError).toMatch(/did not acknowledge/));
    await vi.waitFor(() => expect(bus.publishCalls()).toBeGreaterThanOrEqual(3));
    expect(unpublished(store)).toHaveLength(4);
    const stored = bus.messages("test.stock.events");
    expect(stored.some((m) => m.partition === refusedPartition)).toBe(false);
    expect(stored.length).toBeGreaterThan(0);

    bus.setFault(undefined);
    await vi.waitFor(() => expect(unpublished(store)).toEqual([]));
    const onBus = new Set(eventIdsOnBus(bus));
    for (const r of store.rows()) expect(onBus.has(r.event.eventId)).toBe(true);
  });

  it("given Kafka failing, when the relay retries, then its retry policy is asked with each attempt and error and its delay is kept, and the count starts again after a success", async () => {
    const store = createInMemoryOutboxStore();
    const bus = createInMemoryMessageBus();
    let failuresLeft = 3;
    bus.setFault(() => (failuresLeft-- > 0 ? publishFailure("broker not available", false) : undefined));
    const asked: { attempt: number; error: string; at: number }[] = [];
    store.append(rowsFor("S1:A1"));
    start(store, bus, {
      retryPolicy: (attempt, error) => {
        asked.push({ attempt, error: String(error), at: performance.now() });
        return 40;
      },
    });

    await vi.waitFor(() => expect(unpublished(store)).toEqual([]));
    expect(asked.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(asked.every((a) => a.error.includes("broker not available"))).toBe(true);
    expect(asked[2]!.at - asked[1]!.at).toBeGreaterThanOrEqual(35);

    failuresLeft = 1;
    store.append(rowsFor("S1:B2"));
    await vi.waitFor(() => expect(unpublished(store)).toEqual([]));
    expect(asked.map((a) => a.attempt)).toEqual([1, 2, 3, 1]);
  });

  it("given a message Kafka refuses for good, when the relay publishes, then by default it is dead-lettered, counted and left out of the backlog, and the events around it are published in order", async () => {
    const store = createInMemoryOutboxStore();
    const bus = createInMemoryMessageBus();
    const metrics = createMetrics("hub");
    const rows = rowsFor("S1:A1", "S1:B2", "S1:C3", "S2:A1");
    const [, poisonId] = store.append(rows);
    const poisonEventId = store.rows().find((r) => r.id === poisonId)!.event.eventId;
    bus.setFault((m) => (m.headers.eventId === poisonEventId ? publishFailure("MESSAGE_TOO_LARGE: too large", true) : undefined));
    start(store, bus, { metrics, retryPolicy: undefined });

    await vi.waitFor(() => expect(unpublished(store).filter((r) => r.deadLetter === null)).toEqual([]));
    const poison = store.rows().find((r) => r.id === poisonId)!;
    expect(poison.publishedAt).toBeNull();
    expect(poison.deadLetter).toMatch(/MESSAGE_TOO_LARGE/);
    expect(eventIdsOnBus(bus)).not.toContain(poisonEventId);
    const s1 = bus.messages("test.stock.events").filter((m) => m.key!.toString().startsWith("S1:"));
    expect(s1.map((m) => m.headers.eventId)).toEqual([rows[0]!.event.eventId, rows[2]!.event.eventId]);
    expect((await metrics.deadLetters.get()).values).toEqual([
      expect.objectContaining({ value: 1, labels: { topic: "test.stock.events" } }),
    ]);
    await vi.waitFor(() => expect(relay!.lastBacklog()).toEqual({ size: 0, oldestAgeMs: 0, deadLettered: 1 }));

    store.append(rowsFor("S1:D4"));
    await vi.waitFor(() => expect(unpublished(store).filter((r) => r.deadLetter === null)).toEqual([]));
  });

  it("given a poison policy that holds, when Kafka refuses a message for good, then the relay stalls at it: what came before is published, nothing after it", async () => {
    const store = createInMemoryOutboxStore();
    const bus = createInMemoryMessageBus();
    const offered: RefusedMessage[] = [];
    const [first, poisonId, after] = store.append(rowsFor("S1:A1", "S1:B2", "S2:C3"));
    bus.setFault((m) => (m.key === "S1:B2" ? publishFailure("INVALID_RECORD: refused", true) : undefined));
    start(store, bus, {
      poisonPolicy: (refused) => {
        offered.push(refused);
        return "hold";
      },
    });

    await vi.waitFor(() => expect(offered.length).toBeGreaterThanOrEqual(2));
    const row = (id: string | undefined) => store.rows().find((r) => r.id === id)!;
    expect(row(first).publishedAt).not.toBeNull();
    expect(row(poisonId).publishedAt).toBeNull();
    expect(row(after).publishedAt).toBeNull();
    expect(row(poisonId).deadLetter).toBeNull();
    expect(offered[0]).toMatchObject({ outboxId: poisonId, topic: "stock.events", key: "S1:B2", permanent: true });
    expect(relay!.lastBacklog().size).toBe(2);
  });

  it("given a retry policy that gives up on a batch, when one message keeps failing alone, then it is offered to the poison policy as not permanent, and the others are published", async () => {
    const store = createInMemoryOutboxStore();
    const bus = createInMemoryMessageBus();
    const offered: RefusedMessage[] = [];
    const [, stuck] = store.append(rowsFor("S1:A1", "S2:B2", "S3:C3"));
    bus.setFault((m) => (m.key === "S2:B2" ? publishFailure("request timed out", false) : undefined));
    start(store, bus, {
      retryPolicy: (attempt) => (attempt >= 2 ? "isolate" : 5),
      poisonPolicy: (refused) => {
        offered.push(refused);
        return "dead-letter";
      },
    });

    await vi.waitFor(() => expect(store.rows().find((r) => r.id === stuck)!.deadLetter).not.toBeNull());
    expect(offered).toEqual([expect.objectContaining({ outboxId: stuck, permanent: false })]);
    await vi.waitFor(() => expect(unpublished(store).map((r) => r.id)).toEqual([stuck]));
  });

  it("given another relay leads, when this one runs, then it publishes nothing until it gets the leadership", async () => {
    const store = createInMemoryOutboxStore();
    const bus = createInMemoryMessageBus();
    store.setLeadership(false);
    store.append(rowsFor("S1:A1"));
    start(store, bus);
    await new Promise((r) => setTimeout(r, 50));
    expect(bus.publishCalls()).toBe(0);
    expect(relay!.status().leader).toBe(false);
    store.setLeadership(true);
    store.append([]);
    await vi.waitFor(() => expect(unpublished(store)).toEqual([]), { timeout: 3000 });
    expect(relay!.status().leader).toBe(true);
  });
});
