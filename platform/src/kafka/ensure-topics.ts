import type { Kafka } from "kafkajs";

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** The topic's `retention.ms`; -1 keeps every message. Default -1. */
  readonly retentionMs?: number;
  /** `compact` keeps each key's latest message (a table of latest states); default `delete`. */
  readonly cleanupPolicy?: "compact" | "delete";
}

/**
 * Creates the topics that are missing, each with its retention (set at creation only: an existing topic's
 * configuration is the operator's). Event topics a replica is rebuilt from keep every message.
 */
export const ensureTopics = async (kafka: Kafka, topics: readonly TopicSpec[], replicationFactor: number): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor,
        configEntries: [
          { name: "retention.ms", value: String(t.retentionMs ?? -1) },
          ...(t.cleanupPolicy ? [{ name: "cleanup.policy", value: t.cleanupPolicy }] : []),
        ],
      })),
    });
  } finally {
    await admin.disconnect();
  }
};
