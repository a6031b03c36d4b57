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
        waitForLeaders: false,
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: [{ name: "retention.ms", value: "-1" }] }],
      });
      // The broker may briefly answer that it does not host a new partition yet: wait until every one has a leader.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const led = await admin
          .fetchTopicMetadata({ topics: [topic] })
          .then((m) => m.topics[0]?.partitions.filter((p) => p.leader >= 0).length ?? 0)
          .catch(() => 0);
        if (led === partitions) return;
        if (Date.now() > deadline) throw new Error(`topic ${topic}: ${led} of ${partitions} partitions have a leader after 30 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    remove: (topic) => admin.deleteTopics({ topics: [topic] }),
    close: () => admin.disconnect(),
  };
};
