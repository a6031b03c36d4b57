import type { Kafka } from "kafkajs";
import { headerText } from "./kafkajs-subscriber.js";

export interface TopicMessage {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/** The throwaway group goes once the read is done, so reads never pile groups up on the broker. */
const deleteGroup = async (kafka: Kafka, groupId: string) => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // Left behind, it is an empty group without offsets, which the broker expires on its own.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

/**
 * Reads a topic from offset zero up to the end it had when the call began, with a throwaway consumer group
 * deleted afterwards. For audits and the operators' dead-letter view, not for the hot path.
 */
export const readTopicToEnd = async (kafka: Kafka, topic: string, options: { timeoutMs?: number } = {}): Promise<TopicMessage[]> => {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  const messages: TopicMessage[] = [];
  if (remaining.size === 0) return messages;
  const groupId = `inventory-reader-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${topic} not read to its end in time`)), options.timeoutMs ?? 15_000);
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const offset = Number(message.offset);
          const end = ends.get(partition) ?? 0;
          if (offset < end)
            messages.push({ partition, offset, key: message.key, value: message.value, headers: headerText(message.headers) });
          if (offset + 1 >= end) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
};
