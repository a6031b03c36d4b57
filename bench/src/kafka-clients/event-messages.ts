import type { BenchMessage } from "./client.js";

const STORES = 40;
const SKUS_PER_STORE = 2500;

/** The stock item the `seq`-th event is about: 100,000 distinct `store:sku` keys, like a chain's stock. */
const itemOf = (seq: number) => {
  const storeId = `S${String(seq % STORES).padStart(3, "0")}`;
  const sku = `SKU-${String(Math.floor(seq / STORES) % SKUS_PER_STORE).padStart(6, "0")}`;
  return { storeId, sku };
};

/** The event id names the run and the sequence number, so a consumer can tell which send a message came from. */
export const eventIdOf = (runId: string, seq: number) => `${runId}.${String(seq).padStart(9, "0")}`;

/** Reads the sequence number back from a message built by `stockEventMessage`. */
export const seqOf = (value: Buffer): number => {
  const eventId = (JSON.parse(value.toString("utf8")) as { eventId: string }).eventId;
  return Number(eventId.slice(eventId.lastIndexOf(".") + 1));
};

/**
 * A `StockAdjusted` event shaped like the hub's: the envelope, the item's state after the change and its
 * cause, about 400 bytes of JSON, keyed `store:sku`, with the relay's headers.
 */
export const stockEventMessage = (runId: string, seq: number): BenchMessage => {
  const { storeId, sku } = itemOf(seq);
  const key = `${storeId}:${sku}`;
  const eventId = eventIdOf(runId, seq);
  const traceId = `${runId.slice(0, 8)}${String(seq).padStart(24, "0")}`;
  const onHand = 1000 + (seq % 97);
  const event = {
    eventId,
    eventType: "StockAdjusted",
    eventVersion: 1,
    occurredAt: new Date(1_764_000_000_000 + seq).toISOString(),
    aggregate: { type: "stock-item", id: key, version: 1 + Math.floor(seq / (STORES * SKUS_PER_STORE)) },
    payload: {
      storeId,
      sku,
      onHand,
      reserved: seq % 7,
      inTransit: 0,
      delta: -1,
      reason: "sale",
      note: "till 04, basket 2 of 3, loyalty card",
    },
    traceId,
  };
  return { key, value: JSON.stringify(event), headers: { eventId, eventType: event.eventType, traceId } };
};
