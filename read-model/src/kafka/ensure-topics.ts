import type { Kafka } from "kafkajs";

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
}

/**
 * Creates the topics that are missing. Event topics keep every message (retention.ms=-1):
 * they are the log a replica is rebuilt from.
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
        configEntries: [{ name: "retention.ms", value: "-1" }],
      })),
    });
  } finally {
    await admin.disconnect();
  }
};
