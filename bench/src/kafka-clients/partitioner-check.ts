import { compatibilityPartitioner, defaultPartitioner } from "@platformatic/kafka";
import { Partitioners } from "kafkajs";

export interface PartitionerCheck {
  readonly keys: number;
  readonly partitions: number;
  /** Keys @platformatic/kafka's default partitioner puts on another partition than kafkajs's default. */
  readonly movedByDefaultPartitioner: number;
  /** The same with its `compatibilityPartitioner`, which the benchmark uses. */
  readonly movedByCompatibilityPartitioner: number;
}

/**
 * Where each key lands with each client's partitioner. A stock item's events must stay on one partition,
 * so a client that hashes keys differently would split an item's history across two partitions.
 */
export const checkPartitioners = (keys: readonly string[], partitions: number): PartitionerCheck => {
  const kafkajsPartition = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  let movedByDefaultPartitioner = 0;
  let movedByCompatibilityPartitioner = 0;
  for (const key of keys) {
    const expected = kafkajsPartition({ topic: "t", partitionMetadata, message: { key, value: null } });
    const bytes = Buffer.from(key, "utf8");
    const message = { topic: "t", key: bytes };
    if (defaultPartitioner(message, bytes) % partitions !== expected) movedByDefaultPartitioner += 1;
    if (compatibilityPartitioner(message, bytes) % partitions !== expected) movedByCompatibilityPartitioner += 1;
  }
  return { keys: keys.length, partitions, movedByDefaultPartitioner, movedByCompatibilityPartitioner };
};
