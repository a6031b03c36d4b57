import { itemKey } from "./identifiers.js";

/** Kafka topics. Every topic keeps its events forever so a replica can be rebuilt from offset zero. */
export const TOPICS = {
  stock: "stock.events",
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Message keys: one partition per stock item, so each item's events stay in order. */
export const stockItemMessageKey = itemKey;
