import type { Consumer, Kafka } from "kafkajs";
import { chainViewPositionSchema, type ChainViewPosition } from "@inventory/shared";
import type { AppliedMessage, ReplicaStore } from "./replica-store.js";
import { chosenPartitionsAssigner, type PartitionChoice } from "@inventory/platform";

export interface LoadChainViewOptions {
  readonly kafka: Kafka;
  readonly store: ReplicaStore;
  /** The chain view's topic on the broker. */
  readonly topic: string;
  /** The broker event topics the replica follows. */
  readonly eventTopics: readonly string[];
  readonly logicalTopic: (brokerTopic: string) => string;
  /** The event topics continued from the view's offsets; the others start at 0. */
  readonly continues: (brokerTopic: string) => boolean;
  readonly partitions: PartitionChoice;
  /** The replica's own group: loading adds no group to the broker. */
  readonly groupId: string;
  readonly idleFetchMs: number;
  readonly toApplied: (offset: number, value: Buffer | null, key: Buffer | null) => AppliedMessage | { offset: number; rejected: string };
  /** Receives the consumer while it reads, so a stop can disconnect it. */
  readonly onConsumer: (consumer: Consumer) => void;
  readonly stopped: () => boolean;
  /** Longest the load may take before it is given up and tried again. Default 120000. */
  readonly timeoutMs?: number;
}

export interface ChainViewLoaded {
  readonly records: number;
  readonly ms: number;
  /** The view's log position the event partitions continue from. */
  readonly logPosition: number;
}

const positionOf = (value: Buffer | null): ChainViewPosition | undefined => {
  if (value === null) return undefined;
  try {
    const parsed = chainViewPositionSchema.safeParse(JSON.parse(value.toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Loads a replica that holds no event position yet (a new agent, a wiped file, a rebuild) from the chain view
 * instead of the event history: reads the compacted topic up to the end it had when the load began, applying
 * each batch with its position (one SQLite transaction a batch), and remembers the latest position record
 * below that end. Every record published before that position record is below the end too, so the replica
 * then holds every change the position covers, and each event partition is set to continue from the offset
 * the record names for it: nothing is missed, and events the view already holds are older versions, ignored.
 * Without a position record on the view (the hub has not completed a flush) nothing is loaded and the events
 * are read from their start. Answers undefined when there was nothing to load.
 */
export const loadChainView = async (options: LoadChainViewOptions): Promise<ChainViewLoaded | undefined> => {
  const { store } = options;
  const eventTopics = new Set(options.eventTopics);
  if (store.positions().some((p) => eventTopics.has(p.topic))) return undefined;
  const started = Date.now();
  const admin = options.kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  let eventPartitions: { topic: string; count: number }[];
  try {
    ends = new Map((await admin.fetchTopicOffsets(options.topic)).map((p) => [p.partition, Number(p.high)]));
    eventPartitions = await Promise.all(
      options.eventTopics.map(async (topic) => ({ topic, count: (await admin.fetchTopicOffsets(topic)).length })),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  if (remaining.size === 0) return undefined;

  let latest: ChainViewPosition | undefined;
  let records = 0;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: options.idleFetchMs,
    sessionTimeout: 6_000,
    heartbeatInterval: 1_000,
    allowAutoTopicCreation: false,
    partitionAssigners: [chosenPartitionsAssigner((_topic, count) => Array.from({ length: count }, (_, p) => p))],
  });
  options.onConsumer(consumer);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("chain view not loaded in time")), options.timeoutMs ?? 120_000);
      const watch = setInterval(() => {
        if (options.stopped()) reject(new Error("stopped while loading the chain view"));
      }, 200);
      const done = (err?: Error) => {
        clearTimeout(timer);
        clearInterval(watch);
        if (err) reject(err);
        else resolve();
      };
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch, heartbeat }) => {
            const end = ends.get(batch.partition) ?? 0;
            const messages: AppliedMessage[] = batch.messages.map((m) => {
              const offset = Number(m.offset);
              if (offset < end) {
                const position = positionOf(m.value);
                if (position && (latest === undefined || position.logPosition >= latest.logPosition)) latest = position;
              }
              const applied = options.toApplied(offset, m.value, m.key);
              return "rejected" in applied ? { offset, changes: null, occurredAt: null } : applied;
            });
            if (messages.length > 0) store.applyBatch(options.topic, batch.partition, messages);
            records += messages.length;
            if (Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition);
            if (remaining.size === 0) done();
            await heartbeat();
          },
        })
        .catch((err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  if (latest === undefined) return undefined;
  const offsets = latest.eventOffsets;
  store.seedPositions(
    eventPartitions.flatMap(({ topic, count }) =>
      options.partitions(topic, count).map((partition) => ({
        topic,
        partition,
        nextOffset: options.continues(topic) ? (offsets[options.logicalTopic(topic)]?.[partition] ?? 0) : 0,
      })),
    ),
  );
  return { records, ms: Date.now() - started, logPosition: latest.logPosition };
};
