import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sellStock, stampEvent, type StockItem } from "@inventory/shared";
import { recordBytes, type OutgoingMessage } from "@inventory/platform";
import { outboxMessage } from "../outbox/outbox-relay.js";
import { itemMessage } from "./publish-chain-view.js";

/** What a consumer receives of a message: its key, value and headers (names and values), in bytes. */
const receivedBytes = (m: OutgoingMessage) => recordBytes([m]);

describe("what an agent fetches per change of another store", () => {
  it("given a sale, then its item's chain-view record is under a twentieth of the sale's stock event", () => {
    const item: StockItem = { storeId: "S12", sku: "P04711", onHand: 18, reserved: 2, inTransit: 0, version: 1203 };
    const decision = sellStock(item, { qty: 1, customerId: null, policy: null });
    if (!("next" in decision)) throw new Error("the sale was refused");
    const draft = decision.events[0]!;
    const event = stampEvent(draft, { eventId: randomUUID(), occurredAt: "2026-12-02T02:27:58.190Z", traceId: randomUUID() });
    const eventBytes = receivedBytes(outboxMessage({ id: "1", topic: draft.topic, messageKey: draft.key, event }, "stock.events"));
    const next = decision.next;
    const record = itemMessage("availability.latest", {
      store_id: next.storeId,
      sku: next.sku,
      on_hand: next.onHand,
      reserved: next.reserved,
      in_transit: next.inTransit,
      version: next.version,
      at: event.occurredAt,
    });
    const recordBytes = receivedBytes(record);
    expect(record.headers).toEqual({});
    expect(eventBytes).toBeGreaterThan(450);
    expect(recordBytes * 20).toBeLessThan(eventBytes);
    console.info(`stock event ${eventBytes} B (key, value, headers); chain-view item record ${recordBytes} B`);
  });
});
