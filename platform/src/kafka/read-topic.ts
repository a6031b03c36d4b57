import type { Kafka } from "kafkajs";
import { silentLogger } from "../http/logger.js";
import { createKafkaSubscriber } from "./kafkajs-subscriber.js";
import { readToEnd } from "./read-to-end.js";

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
 * Reads a topic from offset zero up to the end it had when the call began (`readToEnd` on the kafkajs
 * subscriber), with a throwaway consumer group deleted afterwards. For audits and the operators'
 * dead-letter view, not for the hot path.
 */
export const readTopicToEnd = async (kafka: Kafka, topic: string, options: { timeoutMs?: number } = {}): Promise<TopicMessage[]> => {
  const groupId = `inventory-reader-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const messages: TopicMessage[] = [];
  // Set once the read has subscribed (an empty topic is read without joining any group).
  let subscribed = false;
  try {
    await readToEnd(
      createKafkaSubscriber(kafka, { log: silentLogger }),
      {
        name: `read of ${topic}`,
        topic,
        group: groupId,
        idleFetchMs: 100,
        timeoutMs: options.timeoutMs ?? 15_000,
        onState: () => {
          subscribed = true;
        },
      },
      async ({ partition, messages: batch }, end) => {
        for (const m of batch) if (m.offset < end) messages.push({ partition, ...m });
      },
    );
  } finally {
    if (subscribed) await deleteGroup(kafka, groupId);
  }
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
};
