import { brokerTopic, TOPICS } from "@inventory/shared";
import { storePartition, type PartitionChoice } from "@inventory/platform";

/**
 * What a store's agent reads: the one partition that carries its store on the per-store topics (stock and
 * reservation events, keyed by store), and every partition of the others: transfer events (keyed by
 * transfer, a few a store a day, and the agent keeps those that involve it) and the chain view.
 */
export const agentPartitions = (storeId: string, topicPrefix: string): PartitionChoice => {
  const perStore = new Set([TOPICS.stock, TOPICS.reservation].map((t) => brokerTopic(topicPrefix, t)));
  return (topic, count) => (perStore.has(topic) ? [storePartition(storeId, count)] : Array.from({ length: count }, (_, p) => p));
};
