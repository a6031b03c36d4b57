import { describe, expect, it, vi } from "vitest";
import { createInMemoryMessageBus, storePartition } from "@inventory/platform";
import { createStockChangeLog, type LoggedChange } from "./stock-change-log.js";
import { startStockChangeFeed } from "./stock-change-feed.js";
import { stockEventMessage } from "../../test/stock-event-message.js";

const STOCK = "test.stock.events";
const event = (storeId: string, sku: string, onHand: number, version: number) => stockEventMessage(STOCK, storeId, sku, onHand, version);

/** The change log a stream is served from, and what it has logged. */
const changeLog = () => {
  const changes = createStockChangeLog({ epoch: "e1" });
  const logged: LoggedChange[] = [];
  changes.subscribe((l) => logged.push(l));
  return { changes, seen: () => logged.map((l) => `${l.change.storeId}:${l.change.sku}@${l.change.version}`) };
};

describe("stock change stream feed", () => {
  it("given events written before it starts, when more are written, then it logs only those written after it started, in order", async () => {
    const bus = createInMemoryMessageBus({ partitions: 6 });
    await bus.publish([event("S1", "A1", 1, 1), event("S2", "A1", 1, 1)]);
    const { changes, seen } = changeLog();
    const feed = startStockChangeFeed({ subscriber: bus, topic: STOCK, groupId: "stream-1", changes });
    // The subscription has joined and placed itself at the end of every partition.
    await new Promise((r) => setTimeout(r, 20));

    await bus.publish([event("S1", "A1", 2, 2), event("S2", "A1", 2, 2), event("S1", "A1", 3, 3)]);
    await vi.waitFor(() => expect(seen()).toHaveLength(3));
    expect(seen().filter((s) => s.startsWith("S1"))).toEqual(["S1:A1@2", "S1:A1@3"]);
    expect(seen()).toContain("S2:A1@2");
    await feed.stop();
  });

  it("given a store's agent, when the stock topic carries every store, then it reads only its store's partition and logs only its store", async () => {
    const bus = createInMemoryMessageBus({ partitions: 6 });
    const mine = storePartition("S1", 6);
    // S3 shares S1's partition at 6 partitions; S2 does not.
    expect(storePartition("S3", 6)).toBe(mine);
    expect(storePartition("S2", 6)).not.toBe(mine);
    const { changes, seen } = changeLog();
    const received: string[] = [];
    // The bus as the feed sees it, telling which topics' records reach the subscription.
    const subscriber = {
      ...bus,
      subscribe: (request: Parameters<typeof bus.subscribe>[0], handler: Parameters<typeof bus.subscribe>[1]) =>
        bus.subscribe(request, async (batch, context) => {
          received.push(...batch.messages.map(() => `${batch.partition}`));
          await handler(batch, context);
        }),
    };
    const feed = startStockChangeFeed({ subscriber, topic: STOCK, groupId: "agent-S1", changes, onlyStore: "S1" });
    await new Promise((r) => setTimeout(r, 20));

    await bus.publish([event("S1", "A1", 1, 1), event("S3", "A1", 1, 1), event("S2", "A1", 1, 1), event("S1", "A1", 2, 2)]);
    await vi.waitFor(() => expect(received).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([`${mine}`, `${mine}`, `${mine}`]);
    expect(seen()).toEqual(["S1:A1@1", "S1:A1@2"]);
    await feed.stop();
  });

  it("given a process that stopped, when the next starts under the same group, then it starts at the end again and commits nothing to the group", async () => {
    const bus = createInMemoryMessageBus({ partitions: 6 });
    const first = changeLog();
    const one = startStockChangeFeed({ subscriber: bus, topic: STOCK, groupId: "stream-S1", changes: first.changes });
    await new Promise((r) => setTimeout(r, 20));
    await bus.publish([event("S1", "A1", 1, 1)]);
    await vi.waitFor(() => expect(first.seen()).toEqual(["S1:A1@1"]));
    await one.stop();

    await bus.publish([event("S1", "A1", 2, 2)]);
    const second = changeLog();
    const two = startStockChangeFeed({ subscriber: bus, topic: STOCK, groupId: "stream-S1", changes: second.changes });
    await new Promise((r) => setTimeout(r, 20));
    await bus.publish([event("S1", "A1", 3, 3)]);
    await vi.waitFor(() => expect(second.seen()).toEqual(["S1:A1@3"]));
    expect(bus.committed("stream-S1", STOCK, storePartition("S1", 6))).toBe(0);
    await two.stop();
  });
});
