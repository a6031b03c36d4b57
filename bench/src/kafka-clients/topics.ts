import { Kafka, logLevel } from "kafkajs";

export interface BenchTopics {
  /** Creates a topic like the product's event topics: `partitions` partitions, every message kept. */
  create(topic: string): Promise<void>;
  remove(topic: string): Promise<void>;
  close(): Promise<void>;
}

/** Topic housekeeping through one admin connection, the same for every client under test. */
export const benchTopics = async (brokers: readonly string[], partitions: number): Promise<BenchTopics> => {
  const admin = new Kafka({ clientId: "bench-topics", brokers: [...brokers], logLevel: logLevel.WARN }).admin();
  await admin.connect();
  return {
    create: async (topic) => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: [{ name: "retention.ms", value: "-1" }] }],
      });
    },
    remove: (topic) => admin.deleteTopics({ topics: [topic] }),
    close: () => admin.disconnect(),
  };
};
