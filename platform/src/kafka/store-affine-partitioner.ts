import { Partitioners, type ICustomPartitioner, type PartitionMetadata } from "kafkajs";
import { partitionKeyOf } from "@inventory/shared";

/**
 * kafkajs's default (Java-compatible murmur2) partitioner, applied to the key's store part instead of the
 * whole key (`partitionKeyOf`): all of a store's items and reservations go to one partition, the one a Java
 * or kafkajs producer would pick for the bare store id. The message keeps its full key.
 */
export const storeAffinePartitioner: ICustomPartitioner = () => {
  const byKey = Partitioners.DefaultPartitioner();
  return ({ topic, partitionMetadata, message }) =>
    byKey({
      topic,
      partitionMetadata,
      message: message.key === null || message.key === undefined ? message : { ...message, key: partitionKeyOf(message.key.toString()) },
    });
};

/** The partition that carries a store's messages on a topic of `partitionCount` partitions. */
export const storePartition = (storeId: string, partitionCount: number): number => {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  return storeAffinePartitioner()({ topic: "", partitionMetadata, message: { key: storeId, value: null } });
};
