import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { brokerTopic, CHAIN_VIEW_KEYS, CHAIN_VIEW_TOPIC, encodeChainViewItem, TOPICS, type ChainViewItem } from "@inventory/shared";
import {
  createDeadLetterSink,
  createInMemoryMessageBus,
  createMetrics,
  deadLetterTopic,
  silentLogger,
  storePartition,
  type InMemoryMessageBus,
  type Metrics,
  type OutgoingMessage,
  type PartitionChoice,
  type StoredMessage,
} from "@inventory/platform";
import { openReplicaStore, type ReplicaStore } from "./replica-store.js";
import { startReplicaFeed, type ReplicaFeed, type ReplicaFeedOptions } from "./replica-feed.js";
import { eventTime, stockEventMessage } from "../test/stock-event-message.js";

const PREFIX = "test.";
const STOCK = brokerTopic(PREFIX, TOPICS.stock);
const VIEW = brokerTopic(PREFIX, CHAIN_VIEW_TOPIC);
const PARTITIONS = 6;
const S1 = storePartition("S1", PARTITIONS);
const S2 = storePartition("S2", PARTITIONS);

const at = eventTime;
const stockEvent = (storeId: string, sku: string, onHand: number, version: number) =>
  stockEventMessage(STOCK, storeId, sku, onHand, version);

const viewRecord = (key: string, value: unknown): OutgoingMessage => ({ topic: VIEW, key, value: JSON.stringify(value), headers: {} });

/** What a consumer receives of a stock event: its key, value and its one header, name included. */
const stockEventBytes = (m: StoredMessage) => m.key!.length + m.value!.length + "traceId".length + m.headers.traceId!.length;

const compactItem = (item: ChainViewItem): OutgoingMessage => ({ topic: VIEW, ...encodeChainViewItem(item), headers: {} });

const counted = async (metrics: Metrics, topic: string) => {
  const values = (await metrics.eventsApplied.get()).values.filter((v) => v.labels.topic === topic);
  const of = (outcome: string) => values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { applied: of("applied"), ignored: of("ignored") };
};

const row = (store: ReplicaStore, sku: string, storeId: string) => store.availability(sku, storeId)?.find((r) => r.storeId === storeId);
const positionsOf = (store: ReplicaStore, topic: string) =>
  store
    .positions()
    .filter((p) => p.topic === topic)
    .map((p) => [p.partition, p.nextOffset]);

describe("replica feed on the message bus", () => {
  let dir: string;
  let bus: InMemoryMessageBus;
  let open: { feed: ReplicaFeed; store: ReplicaStore }[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "replica-feed-"));
    bus = createInMemoryMessageBus({ partitions: PARTITIONS, maxBatchSize: 2, pollMs: 1 });
    open = [];
  });
  afterEach(async () => {
    for (const { feed, store } of open) {
      await feed.stop();
      store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** A feed into the replica file `name` in the test's directory. */
  const start = (name: string, options: Partial<ReplicaFeedOptions> = {}) => {
    const store = openReplicaStore(join(dir, name));
    const metrics = createMetrics("edge-agent");
    const feed = startReplicaFeed({
      subscriber: bus,
      store,
      topics: [STOCK],
      replicaId: "test",
      log: silentLogger,
      metrics,
      idleFetchMs: 5,
      ...options,
    });
    const handle = { feed, store };
    open.push(handle);
    return {
      feed,
      store,
      metrics,
      /** Stops the feed and closes its file, as a process that exits. */
      close: async () => {
        open = open.filter((h) => h !== handle);
        await feed.stop();
        store.close();
      },
    };
  };

  it("given an item's events, when the feed runs, then each is applied in order and the partition's position is stored with the rows", async () => {
    await bus.publish([stockEvent("S1", "A1", 10, 1), stockEvent("S1", "A1", 11, 2), stockEvent("S1", "A1", 12, 3)]);
    // Reported caught up only once the memory of the catch-up has been given back.
    let caughtUpWhenCalled: boolean | undefined;
    const caughtUp = vi.fn(() => {
      caughtUpWhenCalled = feed.status().caughtUp;
    });
    const { feed, store, metrics } = start("replica.sqlite", { onCaughtUp: caughtUp });

    await vi.waitFor(() => expect(feed.status().caughtUp).toBe(true));
    expect(caughtUpWhenCalled).toBe(false);
    expect(row(store, "A1", "S1")).toMatchObject({ onHand: 12, version: 3 });
    // Applied in order: an event older than the row it meets would be ignored.
    expect(await counted(metrics, STOCK)).toEqual({ applied: 3, ignored: 0 });
    expect(positionsOf(store, STOCK)).toEqual([[S1, 3]]);
    expect(feed.status()).toMatchObject({ state: "RUNNING", lastError: null });
    await vi.waitFor(() => expect(caughtUp).toHaveBeenCalledTimes(1));
    const lag = (await metrics.consumerLag.get()).values.find((v) => v.labels.partition === String(S1));
    expect(lag?.value).toBe(0);
    const received = bus.messages(STOCK).reduce((n, m) => n + stockEventBytes(m), 0);
    expect((await metrics.fetchedBytes.get()).values.find((v) => v.labels.topic === STOCK)?.value).toBe(received);
  });

  it("given a replica that stopped, when it starts again on the same file, then it resumes from its stored positions without applying anything twice", async () => {
    await bus.publish([stockEvent("S1", "A1", 10, 1), stockEvent("S1", "A1", 11, 2), stockEvent("S2", "B1", 5, 1)]);
    const first = start("replica.sqlite");
    await vi.waitFor(() => expect(first.feed.status().caughtUp).toBe(true));
    await first.close();

    await bus.publish([stockEvent("S1", "A1", 13, 3), stockEvent("S2", "B1", 6, 2)]);
    const second = start("replica.sqlite");
    await vi.waitFor(() => expect(row(second.store, "B1", "S2")?.version).toBe(2));
    await vi.waitFor(() => expect(second.feed.status().caughtUp).toBe(true));

    expect(row(second.store, "A1", "S1")).toMatchObject({ onHand: 13, version: 3 });
    expect(await counted(second.metrics, STOCK)).toEqual({ applied: 2, ignored: 0 });
    expect(positionsOf(second.store, STOCK).sort()).toEqual(
      [
        [S1, 3],
        [S2, 2],
      ].sort(),
    );
  });

  it("given chosen partitions, when the feed runs, then it reads only those: no row and no byte of the other stores' partitions", async () => {
    await bus.publish([stockEvent("S1", "A1", 10, 1), stockEvent("S2", "A1", 20, 1), stockEvent("S2", "A1", 21, 2)]);
    const onlyS1: PartitionChoice = (topic, count) => (topic === STOCK ? [storePartition("S1", count)] : []);
    const { feed, store, metrics } = start("agent.sqlite", { partitions: onlyS1 });

    await vi.waitFor(() => expect(feed.status().caughtUp).toBe(true));
    await new Promise((r) => setTimeout(r, 30));
    expect(store.availability("A1")?.map((r) => r.storeId)).toEqual(["S1"]);
    expect(positionsOf(store, STOCK)).toEqual([[S1, 1]]);
    const s1Bytes = bus
      .messages(STOCK)
      .filter((m) => m.partition === S1)
      .reduce((n, m) => n + stockEventBytes(m), 0);
    expect((await metrics.fetchedBytes.get()).values.find((v) => v.labels.topic === STOCK)?.value).toBe(s1Bytes);
  });

  it("given poison messages between events, when the feed meets them, then they are dead-lettered with the reason and the partition moves on", async () => {
    await bus.publish([
      stockEvent("S1", "A1", 10, 1),
      { topic: STOCK, key: "S1:A1", value: "{not json", headers: {} },
      { topic: STOCK, key: "S1:A1", value: JSON.stringify({ eventType: "stock.adjusted" }), headers: {} },
      stockEvent("S1", "A1", 12, 2),
    ]);
    const deadLetters = createDeadLetterSink(bus, "agent-S1", silentLogger);
    const { feed, store, metrics } = start("replica.sqlite", { deadLetters });

    await vi.waitFor(() => expect(feed.status().caughtUp).toBe(true));
    const letters = bus.messages(deadLetterTopic(STOCK));
    expect(letters.map((l) => [l.key?.toString(), l.value?.toString(), l.headers.sourcePartition, l.headers.sourceOffset])).toEqual([
      ["S1:A1", "{not json", String(S1), "1"],
      ["S1:A1", JSON.stringify({ eventType: "stock.adjusted" }), String(S1), "2"],
    ]);
    expect(letters.map((l) => [l.headers.sourceTopic, l.headers.replicaId, l.headers.attempts])).toEqual([
      [STOCK, "agent-S1", "1"],
      [STOCK, "agent-S1", "1"],
    ]);
    expect(deadLetters.sent()).toBe(2);
    expect(letters[0]!.headers.error).toBe("not JSON");
    expect(letters[1]!.headers.error).toMatch(/bad envelope/);
    expect(row(store, "A1", "S1")).toMatchObject({ onHand: 12, version: 2 });
    expect(positionsOf(store, STOCK)).toEqual([[S1, 4]]);
    expect((await metrics.deadLetters.get()).values.find((v) => v.labels.topic === STOCK)?.value).toBe(2);
  });

  it("given a chain view with a position record, when a new replica starts, then it loads the view and continues each event partition from the offsets it records: nothing lost, nothing twice", async () => {
    // Events the view covers: S1's item up to version 2, S2's at version 1.
    await bus.publish([stockEvent("S1", "A1", 10, 1), stockEvent("S1", "A1", 11, 2), stockEvent("S2", "A1", 20, 1)]);
    const eventOffsets = Array.from({ length: PARTITIONS }, (_, p) => (p === S1 ? 2 : p === S2 ? 1 : 0));
    await bus.publish([
      viewRecord(CHAIN_VIEW_KEYS.store("S1"), { kind: "store", storeId: "S1", name: "One", latencyMs: null }),
      viewRecord("S1:A1", {
        storeId: "S1",
        sku: "A1",
        onHand: 11,
        reserved: 0,
        inTransit: 0,
        available: 11,
        version: 2,
        lastEventAt: at(2),
      }),
      // The compact form the hub publishes, beside the object form agents still read.
      compactItem({ storeId: "S2", sku: "A1", onHand: 20, reserved: 0, inTransit: 0, version: 1, lastEventAt: at(1) }),
      viewRecord(CHAIN_VIEW_KEYS.position, { kind: "position", at: at(2), logPosition: 3, eventOffsets: { [TOPICS.stock]: eventOffsets } }),
    ]);
    // An event after the view's position: the replica must not miss it.
    await bus.publish([stockEvent("S1", "A1", 12, 3)]);

    const { feed, store, metrics } = start("replica.sqlite", {
      topics: [STOCK, VIEW],
      chainView: { topic: VIEW, logicalTopic: (topic) => topic.slice(PREFIX.length) },
    });
    await vi.waitFor(() => expect(feed.status().caughtUp).toBe(true));

    expect(store.stores().map((s) => s.storeId)).toEqual(["S1"]);
    expect(row(store, "A1", "S1")).toMatchObject({ onHand: 12, version: 3 });
    expect(row(store, "A1", "S2")).toMatchObject({ onHand: 20, version: 1 });
    // Only the event past the view's offsets was read: the three it covers were never handed to the replica again.
    expect(await counted(metrics, STOCK)).toEqual({ applied: 1, ignored: 0 });
    expect(positionsOf(store, STOCK).sort()).toEqual(eventOffsets.map((o, p) => [p, p === S1 ? 3 : o]).sort());

    // And both keep coming after the load: the events, and the view for the rest of the chain.
    await bus.publish([stockEvent("S1", "A1", 13, 4)]);
    await bus.publish([compactItem({ storeId: "S2", sku: "A1", onHand: 25, reserved: 0, inTransit: 0, version: 2, lastEventAt: at(3) })]);
    await vi.waitFor(() => expect(row(store, "A1", "S1")?.version).toBe(4));
    await vi.waitFor(() => expect(row(store, "A1", "S2")).toMatchObject({ onHand: 25, version: 2 }));
    expect(await counted(metrics, STOCK)).toEqual({ applied: 2, ignored: 0 });
  });

  it("given a replica fed by every event (the hub's), when it has loaded the chain view, then it follows the events alone and applies no later view record", async () => {
    await bus.publish([stockEvent("S1", "A1", 10, 1)]);
    await bus.publish([
      viewRecord("S1:A1", {
        storeId: "S1",
        sku: "A1",
        onHand: 10,
        reserved: 0,
        inTransit: 0,
        available: 10,
        version: 1,
        lastEventAt: at(1),
      }),
      viewRecord(CHAIN_VIEW_KEYS.position, {
        kind: "position",
        at: at(1),
        logPosition: 1,
        eventOffsets: { [TOPICS.stock]: Array.from({ length: PARTITIONS }, (_, p) => (p === S1 ? 1 : 0)) },
      }),
    ]);
    const { feed, store, metrics } = start("hub.sqlite", {
      topics: [STOCK, VIEW],
      chainView: { topic: VIEW, logicalTopic: (topic) => topic.slice(PREFIX.length), follow: false },
    });
    await vi.waitFor(() => expect(feed.status().caughtUp).toBe(true));
    expect(row(store, "A1", "S1")).toMatchObject({ onHand: 10, version: 1 });

    // A view record the events do not back: a replica that followed the view would apply it.
    await bus.publish([
      viewRecord("S2:B1", { storeId: "S2", sku: "B1", onHand: 3, reserved: 0, inTransit: 0, available: 3, version: 1, lastEventAt: at(2) }),
    ]);
    await bus.publish([stockEvent("S1", "A1", 11, 2)]);
    await vi.waitFor(() => expect(row(store, "A1", "S1")?.version).toBe(2));
    await new Promise((r) => setTimeout(r, 30));
    expect(row(store, "B1", "S2")).toBeUndefined();
    expect((await metrics.fetchedBytes.get()).values.find((v) => v.labels.topic === VIEW)).toBeUndefined();
    expect(await counted(metrics, STOCK)).toEqual({ applied: 1, ignored: 0 });
  });
});
