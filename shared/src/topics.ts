import { itemKey } from "./identifiers.js";

/** Kafka topics. Each keeps its events for `KAFKA_EVENT_RETENTION_MS` (7 days by default); replicas load from the chain view. */
export const TOPICS = {
  stock: "stock.events",
  reservation: "reservation.events",
  transfer: "transfer.events",
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * The chain view: a compacted topic holding each stock item's latest state (key `{storeId}:{sku}`), published
 * by the hub at most once per key per `AVAILABILITY_COALESCE_MS`, so its rate is bounded by the keys that
 * changed, not by the events. Not an event topic: replicas that follow `TOPICS` never read it as one.
 */
export const CHAIN_VIEW_TOPIC = "availability.latest";

/**
 * The topic's name on the broker. A prefix lets several deployments (staging, tests, tenants) share one cluster;
 * events and the outbox always speak of the logical name.
 */
export const brokerTopic = (prefix: string, topic: string): string => `${prefix}${topic}`;

/** Message keys: one partition per stock item, so each item's events stay in order. */
export const stockItemMessageKey = itemKey;

/**
 * The part of a message key that chooses its partition: the store, for keys `{storeId}:{...}` (stock items,
 * reservations), so all of a store's messages share one partition of each topic and a store's agent need
 * read only that one; every key still lands on a single partition, so its order is kept. A key without a
 * store part (a transfer, a product, a store's own registration) is hashed whole; a store id is hashed the
 * same either way, so a store's registration lands beside its items. Store ids never contain `:`.
 */
export const partitionKeyOf = (messageKey: string): string => {
  const colon = messageKey.indexOf(":");
  return colon < 0 ? messageKey : messageKey.slice(0, colon);
};
