import { brokerTopic, CHAIN_VIEW_TOPIC, TOPICS } from "./topics.js";

export type KafkaAclResource = "TOPIC" | "GROUP" | "CLUSTER";
export type KafkaAclOperation = "ALL" | "READ" | "WRITE" | "CREATE" | "DESCRIBE" | "DESCRIBE_CONFIGS" | "IDEMPOTENT_WRITE";

/** One allow rule for the brokers' StandardAuthorizer: everything not allowed by some grant is denied. */
export interface KafkaAclGrant {
  readonly principal: string;
  readonly resourceType: KafkaAclResource;
  readonly resourceName: string;
  readonly patternType: "LITERAL" | "PREFIXED";
  readonly operations: readonly KafkaAclOperation[];
}

/** The SCRAM user the hubs share, and each store agent's own. */
export const HUB_KAFKA_USER = "hub";
export const agentKafkaUser = (storeId: string): string => `agent-${storeId}`;

/**
 * A replica's consumer groups are named `inventory-replica.<replicaId>.<epoch>.<run>`; an agent's replicaId is
 * `agent-<storeId>`. The trailing dot keeps store S1's prefix from matching S10's groups.
 */
export const agentConsumerGroupPrefix = (storeId: string): string => `inventory-replica.${agentKafkaUser(storeId)}.`;

/** An agent's change-stream consumer (`GET /v1/stream/stock`) joins `inventory-stream.agent-<storeId>.<epoch>` (its replica file's). */
export const agentStreamGroupPrefix = (storeId: string): string => `inventory-stream.${agentKafkaUser(storeId)}.`;

const eventTopics = (prefix: string) => Object.values(TOPICS).map((t) => brokerTopic(prefix, t));
const deadLetterTopics = (prefix: string) => eventTopics(prefix).map((t) => `${t}.dlt`);

/**
 * The hubs: create the deployment's topics, publish events and dead letters, read everything (their replicas,
 * the transfer saga, the dead-letter list) under any group of theirs (`inventory-*`, and the saga's, which
 * carries the topic prefix).
 */
export const hubKafkaAcls = (prefix: string): KafkaAclGrant[] => {
  const principal = `User:${HUB_KAFKA_USER}`;
  const topics = [...eventTopics(prefix), ...deadLetterTopics(prefix), brokerTopic(prefix, CHAIN_VIEW_TOPIC)];
  const groupPrefixes = [...new Set(["inventory-", `${prefix}inventory-`])];
  return [
    ...topics.map(
      (resourceName): KafkaAclGrant => ({ principal, resourceType: "TOPIC", resourceName, patternType: "LITERAL", operations: ["ALL"] }),
    ),
    ...groupPrefixes.map(
      (resourceName): KafkaAclGrant => ({ principal, resourceType: "GROUP", resourceName, patternType: "PREFIXED", operations: ["ALL"] }),
    ),
    {
      principal,
      resourceType: "CLUSTER",
      resourceName: "kafka-cluster",
      patternType: "LITERAL",
      operations: ["DESCRIBE", "IDEMPOTENT_WRITE"],
    },
  ];
};

/**
 * One store's agent: read the event topics (its replica holds the whole chain's stock, so it reads every
 * partition) and the chain view, write only to the event topics' dead-letter topics, and join only its own
 * consumer groups (its replica's and its change stream's). It cannot
 * publish events, create topics, or read another store's groups.
 */
export const agentKafkaAcls = (prefix: string, storeId: string): KafkaAclGrant[] => {
  const principal = `User:${agentKafkaUser(storeId)}`;
  return [
    ...[...eventTopics(prefix), brokerTopic(prefix, CHAIN_VIEW_TOPIC)].map(
      (resourceName): KafkaAclGrant => ({
        principal,
        resourceType: "TOPIC",
        resourceName,
        patternType: "LITERAL",
        operations: ["READ", "DESCRIBE"],
      }),
    ),
    ...deadLetterTopics(prefix).map(
      (resourceName): KafkaAclGrant => ({
        principal,
        resourceType: "TOPIC",
        resourceName,
        patternType: "LITERAL",
        operations: ["WRITE", "DESCRIBE"],
      }),
    ),
    ...[agentConsumerGroupPrefix(storeId), agentStreamGroupPrefix(storeId)].map(
      (resourceName): KafkaAclGrant => ({
        principal,
        resourceType: "GROUP",
        resourceName,
        patternType: "PREFIXED",
        operations: ["READ", "DESCRIBE"],
      }),
    ),
  ];
};
