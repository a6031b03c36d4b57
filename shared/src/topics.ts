import { itemKey } from "./identifiers.js";

/** Kafka topics. Every topic keeps its events forever so a replica can be rebuilt from offset zero. */
export const TOPICS = {
  stock: "stock.events",
  reservation: "reservation.events",
  transfer: "transfer.events",
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * The topic's name on the broker. A prefix lets several deployments (staging, tests, tenants) share one cluster;
 * events and the outbox always speak of the logical name.
 */
export const brokerTopic = (prefix: string, topic: string): string => `${prefix}${topic}`;

/** Message keys: one partition per stock item, so each item's events stay in order. */
export const stockItemMessageKey = itemKey;
