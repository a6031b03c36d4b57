import { storeAffinePartitioner } from "./store-affine-partitioner.js";

/** The relay producer's own partitioner (store-affine: murmur2 of the key's store part mod the partition count). */
const partitioner = storeAffinePartitioner();

/** The `topic:partition` places a batch of keyed messages lands on, as the relay's producer places them. */
export const expectedPartitions = (
  messages: readonly { topic: string; key: string }[],
  partitionCount: (topic: string) => number,
): Set<string> => {
  const places = new Set<string>();
  for (const m of messages) {
    const partitionMetadata = Array.from({ length: partitionCount(m.topic) }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [],
      isr: [],
      partitionErrorCode: 0,
    }));
    places.add(`${m.topic}:${partitioner({ topic: m.topic, partitionMetadata, message: { key: m.key, value: null } })}`);
  }
  return places;
};

/**
 * The places of a batch that the brokers did not acknowledge. kafkajs 2.2.4 can resolve a send that spans
 * several brokers without sending some of it: when a broker fails mid-send, its retry sends only to brokers
 * that have not answered yet, so partitions whose new leader already answered for other partitions are
 * skipped (seen in the cluster suite: a killed node's partition lost the three events of one batch).
 */
export const unacknowledgedPartitions = (
  expected: ReadonlySet<string>,
  acknowledged: readonly { topicName: string; partition: number; errorCode: number }[],
): string[] => {
  const acked = new Set(acknowledged.filter((a) => a.errorCode === 0).map((a) => `${a.topicName}:${a.partition}`));
  return [...expected].filter((place) => !acked.has(place)).sort();
};
