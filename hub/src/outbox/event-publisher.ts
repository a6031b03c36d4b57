import type { Kafka, Producer } from "kafkajs";
import { storeAffinePartitioner } from "@inventory/read-model";
import { expectedPartitions, unacknowledgedPartitions } from "./unacknowledged-partitions.js";

export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** The relay's port to the event backbone: publish in order, resolve only when every message is acknowledged. */
export interface EventPublisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * kafkajs adapter: an idempotent producer with one request in flight, so a retried send
 * neither duplicates nor reorders messages within a partition. Partitions are store-affine: all of a
 * store's messages on one partition of each topic (`storeAffinePartitioner`). A send resolves only when every partition it
 * put messages on acknowledged them (see unacknowledged-partitions.ts); otherwise it fails and the relay
 * sends the batch again.
 */
export const createKafkaPublisher = (kafka: Kafka, options: { sendTimeoutMs?: number } = {}): EventPublisher => {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  const partitionCounts = new Map<string, number>();
  const learnPartitionCounts = async (topics: readonly string[]) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      for (const t of found) partitionCounts.set(t.name, t.partitions.length);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
  const connected = async (): Promise<Producer> => {
    if (producer) return producer;
    connecting ??= (async () => {
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 3 },
        createPartitioner: storeAffinePartitioner,
      });
      p.on(p.events.DISCONNECT, () => {
        if (producer === p) producer = undefined;
      });
      await p.connect();
      producer = p;
      return p;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  return {
    publish: async (messages) => {
      const p = await connected();
      const topicMessages: { topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[] = [];
      for (const m of messages) {
        const last = topicMessages[topicMessages.length - 1];
        const entry = { key: m.key, value: m.value, headers: m.headers };
        if (last && last.topic === m.topic) last.messages.push(entry);
        else topicMessages.push({ topic: m.topic, messages: [entry] });
      }
      try {
        const topics = [...new Set(messages.map((m) => m.topic))];
        if (topics.some((t) => !partitionCounts.has(t))) await learnPartitionCounts(topics);
        const acks = await p.sendBatch({ topicMessages, acks: -1, timeout: options.sendTimeoutMs ?? 10_000 });
        const missing = unacknowledgedPartitions(
          expectedPartitions(messages, (t) => partitionCounts.get(t) ?? 1),
          acks,
        );
        if (missing.length > 0) {
          // Also what a topic that gained partitions looks like: learn the counts again before the retry.
          partitionCounts.clear();
          throw new Error(`the brokers did not acknowledge ${missing.join(", ")}`);
        }
      } catch (err) {
        producer = undefined;
        await p.disconnect().catch(() => undefined);
        throw err;
      }
    },
    close: async () => {
      await producer?.disconnect().catch(() => undefined);
      producer = undefined;
    },
  };
};
