import { available, STOCK_EVENT_TYPES } from "@inventory/shared";
import { storePartition, type MessageSubscriber, type Subscription } from "@inventory/platform";
import type { StockChangeEvent, StockChangeLog } from "./stock-change-log.js";

const STOCK_TYPES = new Set<string>(Object.values(STOCK_EVENT_TYPES));
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200;

/** A stock event as the stream shows it, or undefined for anything else on the topic. */
export const streamEventOf = (raw: unknown): StockChangeEvent | undefined => {
  const e = raw as {
    eventId?: unknown;
    eventType?: unknown;
    occurredAt?: unknown;
    aggregate?: { version?: unknown };
    payload?: Record<string, unknown>;
  } | null;
  if (!e || typeof e.eventType !== "string" || !STOCK_TYPES.has(e.eventType) || !isText(e.eventId) || !isText(e.occurredAt))
    return undefined;
  const p = e.payload;
  const version = e.aggregate?.version;
  if (!p || !isText(p.storeId) || !isText(p.sku) || !isInt(p.onHand) || !isInt(p.reserved) || !isInt(version)) return undefined;
  const inTransit = isInt(p.inTransit) ? p.inTransit : 0;
  return {
    sku: p.sku,
    storeId: p.storeId,
    onHand: p.onHand,
    reserved: p.reserved,
    available: available({ onHand: p.onHand, reserved: p.reserved }),
    inTransit,
    version,
    lastEventAt: e.occurredAt,
    eventId: e.eventId,
    eventType: e.eventType,
    reason: typeof p.reason === "string" ? p.reason : typeof p.step === "string" ? p.step : null,
    occurredAt: e.occurredAt,
  };
};

/**
 * A process's change-stream group: named after its replica and the replica file's epoch, like the replica's
 * own group, so a restart on the same file rejoins it (nothing is committed to it) and two processes never share one.
 */
export const streamGroupId = (replicaId: string, epoch: string): string => `inventory-stream.${replicaId}.${epoch.slice(0, 8)}`;

export interface StockChangeFeedOptions {
  /** The broker (`createKafkaSubscriber` in production). */
  readonly subscriber: MessageSubscriber;
  /** The broker's stock topic. */
  readonly topic: string;
  /** The process's own group (`streamGroupId`): restarts add none, and each process sees every change. */
  readonly groupId: string;
  readonly changes: StockChangeLog;
  /** A store's agent streams its own store's changes: it reads only the partition carrying them. Every store's without it. */
  readonly onlyStore?: string;
}

/**
 * Follows the stock topic from its end when the process starts and appends each stock event to the change log
 * the streams are served from. It runs beside the replica's own feed, so the streams cost the replica nothing.
 * Its positions live in memory for the process's life: a rejoin continues where it was, a new process starts
 * at the end.
 */
export const startStockChangeFeed = (options: StockChangeFeedOptions): Subscription => {
  const { onlyStore } = options;
  const next = new Map<number, number>();
  return options.subscriber.subscribe(
    {
      name: "stock change stream",
      topics: [options.topic],
      group: options.groupId,
      positions: { kind: "stored", next: (_topic, partition) => next.get(partition), unknownFrom: "end" },
      sessionTimeoutMs: 10_000,
      ...(onlyStore === undefined ? {} : { partitions: (_topic, count) => [storePartition(onlyStore, count)] }),
    },
    async (batch) => {
      for (const message of batch.messages) {
        if (!message.value) continue;
        let raw: unknown;
        try {
          raw = JSON.parse(message.value.toString("utf8"));
        } catch {
          continue;
        }
        const change = streamEventOf(raw);
        if (change && (onlyStore === undefined || change.storeId === onlyStore)) options.changes.append(change);
      }
      const last = batch.messages[batch.messages.length - 1];
      if (last) next.set(batch.partition, last.offset + 1);
    },
  );
};
