import { describe, expect, it, vi } from "vitest";
import { createInMemoryMessageBus } from "./in-memory-message-bus.js";
import type { ConsumedBatch } from "./message-bus.js";
import { publishFailure } from "./publish-failure.js";
import { readToEnd } from "./read-to-end.js";
import { storePartition } from "./store-affine-partitioner.js";

const message = (key: string, value = key) => ({ topic: "t", key, value, headers: { eventId: value } });

describe("in-memory message bus", () => {
  it("given keyed messages, when published, then each lands on its store's partition, as the relay's producer places it, with offsets from zero", async () => {
    const bus = createInMemoryMessageBus({ partitions: 6 });
    await bus.publish([message("S1:A1", "a"), message("S1:B2", "b"), message("S2:A1", "c"), message("T-9", "d")]);
    const stored = bus.messages("t");
    const at = (value: string) => stored.find((m) => m.value!.toString() === value)!;
    expect(at("a").partition).toBe(storePartition("S1", 6));
    expect(at("b").partition).toBe(storePartition("S1", 6));
    expect([at("a").offset, at("b").offset]).toEqual([0, 1]);
    expect(at("c").partition).toBe(storePartition("S2", 6));
    expect(at("d").partition).toBe(storePartition("T-9", 6));
    expect((await bus.endOffsets("t")).get(storePartition("S1", 6))).toBe(2);
  });

  it("given a fault on one partition, when a batch is published, then that partition stores none of it, the others store theirs, and the publish fails as the fault says", async () => {
    const bus = createInMemoryMessageBus({ partitions: 6 });
    const refused = storePartition("S1", 6);
    bus.setFault((_m, partition) => (partition === refused ? publishFailure("MESSAGE_TOO_LARGE", true) : undefined));
    await expect(bus.publish([message("S1:A1"), message("S2:A1"), message("S1:B2")])).rejects.toMatchObject({ permanent: true });
    expect(bus.messages("t").map((m) => m.key!.toString())).toEqual(["S2:A1"]);
  });

  it("given stored positions, when subscribed, then batches start at them and skip what the subscriber already holds, and nothing is committed", async () => {
    const bus = createInMemoryMessageBus({ partitions: 1 });
    await bus.publish(["S1:1", "S1:2", "S1:3", "S1:4"].map((k) => message(k)));
    const next = new Map<string, number>([["t/0", 2]]);
    const seen: ConsumedBatch[] = [];
    const subscription = bus.subscribe(
      { name: "test", topics: ["t"], group: "g", positions: { kind: "stored", next: (t, p) => next.get(`${t}/${p}`) } },
      async (batch) => {
        seen.push(batch);
        next.set("t/0", batch.messages[batch.messages.length - 1]!.offset + 1);
      },
    );
    await vi.waitFor(() => expect(seen.flatMap((b) => b.messages.map((m) => m.offset))).toEqual([2, 3]));
    expect(seen[0]!.highWatermark).toBe(4);
    await subscription.stop();
    expect(bus.committed("g", "t", 0)).toBe(0);
  });

  it("given group positions, when a handler fails part-way, then the group keeps what it marked handled and the next member resumes from there", async () => {
    const bus = createInMemoryMessageBus({ partitions: 1 });
    await bus.publish(["S1:1", "S1:2", "S1:3"].map((k) => message(k)));
    const first = bus.subscribe({ name: "a", topics: ["t"], group: "g", positions: { kind: "group" } }, async (batch, context) => {
      await context.handled(batch.messages[0]!.offset);
      throw new Error("stopping");
    });
    await vi.waitFor(() => expect(bus.committed("g", "t", 0)).toBe(1));
    await first.stop();
    const resumed: number[] = [];
    const second = bus.subscribe({ name: "b", topics: ["t"], group: "g", positions: { kind: "group" } }, async (batch) => {
      resumed.push(...batch.messages.map((m) => m.offset));
    });
    await vi.waitFor(() => expect(bus.committed("g", "t", 0)).toBe(3));
    expect(resumed).toEqual([1, 2]);
    await second.stop();
  });

  it("given chosen partitions, when two members of a group subscribe, then each reads only and all of those partitions", async () => {
    const bus = createInMemoryMessageBus({ partitions: 6 });
    await bus.publish(["S1:A1", "S2:A1", "S4:A1", "S1:B2"].map((k) => message(k)));
    const mine = storePartition("S1", 6);
    const read = [new Set<string>(), new Set<string>()];
    const subscriptions = read.map((into) =>
      bus.subscribe({ name: "agent", topics: ["t"], group: "g", positions: { kind: "group" }, partitions: () => [mine] }, async (batch) => {
        for (const m of batch.messages) into.add(`${batch.partition}:${m.key!.toString()}`);
      }),
    );
    await vi.waitFor(() => expect(read.map((r) => r.size)).toEqual([2, 2]));
    await new Promise((r) => setTimeout(r, 20));
    for (const r of read) expect([...r].sort()).toEqual([`${mine}:S1:A1`, `${mine}:S1:B2`]);
    await Promise.all(subscriptions.map((s) => s.stop()));
  });

  it("given a topic being written to, when read to its end, then the read stops at the end each chosen partition had when it began and counts what it received", async () => {
    const bus = createInMemoryMessageBus({ partitions: 6, maxBatchSize: 2 });
    await bus.publish(["S1:1", "S1:2", "S1:3", "S2:1"].map((k) => message(k)));
    const mine = storePartition("S1", 6);
    const handled: number[] = [];
    let bytes = 0;
    const ends = await readToEnd(bus, { name: "test", topic: "t", group: "r", partitions: () => [mine] }, async (batch, end) => {
      expect(batch.partition).toBe(mine);
      expect(end).toBe(3);
      handled.push(...batch.messages.map((m) => m.offset));
      if (handled.length === 2) await bus.publish([message("S1:4")]);
    });
    expect(handled).toEqual([0, 1, 2, 3].slice(0, handled.length));
    expect(handled.length).toBeGreaterThanOrEqual(3);
    expect(ends.get(mine)).toBe(3);
    const sub = bus.subscribe(
      {
        name: "bytes",
        topics: ["t"],
        group: "b",
        positions: { kind: "group" },
        partitions: () => [storePartition("S2", 6)],
        onReceived: (_t, b) => (bytes += b),
      },
      async () => undefined,
    );
    await vi.waitFor(() => expect(bytes).toBe("S2:1".length * 2 + "eventId".length + "S2:1".length));
    await sub.stop();
  });

  it("given a read that is stopped, when its signal aborts, then it rejects instead of waiting for the end", async () => {
    const bus = createInMemoryMessageBus({ partitions: 1 });
    await bus.publish([message("S1:1")]);
    const abort = new AbortController();
    const reading = readToEnd(bus, { name: "test", topic: "t", group: "r", signal: abort.signal }, async () => {
      abort.abort();
      throw new Error("never handled");
    });
    await expect(reading).rejects.toThrow(/stopped while reading t/);
  });
});
