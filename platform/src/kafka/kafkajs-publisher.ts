import { CompressionTypes, type Kafka, type Producer } from "kafkajs";
import type { MessagePublisher } from "./message-bus.js";
import { isPublishFailure, publishFailure } from "./publish-failure.js";
import { storeAffinePartitioner } from "./store-affine-partitioner.js";
import { expectedPartitions, unacknowledgedPartitions } from "./unacknowledged-partitions.js";

/** Produce errors about the messages themselves: the same messages will be refused however often they are sent. */
const REFUSED_FOR_GOOD = new Set(["MESSAGE_TOO_LARGE", "RECORD_LIST_TOO_LARGE", "INVALID_RECORD", "INVALID_TOPIC_EXCEPTION"]);

/** The Kafka error type a kafkajs error carries, looking through the errors it wraps. */
const refusalType = (err: unknown, depth = 0): string | undefined => {
  if (typeof err !== "object" || err === null || depth > 5) return undefined;
  const e = err as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === "string" && REFUSED_FOR_GOOD.has(e.type)) return e.type;
  for (const inner of [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = refusalType(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
};

/** A kafkajs send error as a `PublishFailure`: permanent only for errors about the messages themselves. */
export const classifyKafkaError = (err: unknown) => {
  if (isPublishFailure(err)) return err;
  const type = refusalType(err);
  const message = err instanceof Error ? err.message : String(err);
  return publishFailure(type ? `${type}: ${message}` : message, type !== undefined, err);
};

/**
 * kafkajs adapter: an idempotent producer with one request in flight, so a retried send
 * neither duplicates nor reorders messages within a partition. Partitions are store-affine: all of a
 * store's messages on one partition of each topic (`storeAffinePartitioner`). A send resolves only when every partition it
 * put messages on acknowledged them (see unacknowledged-partitions.ts); otherwise it fails (not permanently)
 * and the caller sends the batch again. Every failure is a `PublishFailure`. `gzip` compresses each partition's
 * batch (the only codec kafkajs has without a native one); consumers decompress it themselves.
 */
export const createKafkaPublisher = (kafka: Kafka, options: { sendTimeoutMs?: number; gzip?: boolean } = {}): MessagePublisher => {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  const partitionCounts = new Map<string, number>();
  const learnPartitionCounts = async (topics: readonly string[]) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      for (const t of found) partitionCounts.set(t.name, t.partitions.length);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
  const connected = async (): Promise<Producer> => {
    if (producer) return producer;
    connecting ??= (async () => {
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 3 },
        createPartitioner: storeAffinePartitioner,
      });
      p.on(p.events.DISCONNECT, () => {
        if (producer === p) producer = undefined;
      });
      await p.connect();
      producer = p;
      return p;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  return {
    publish: async (messages) => {
      const p = await connected().catch((err: unknown) => Promise.reject(classifyKafkaError(err)));
      const topicMessages: { topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[] = [];
      for (const m of messages) {
        const last = topicMessages[topicMessages.length - 1];
        const entry = { key: m.key, value: m.value, headers: m.headers };
        if (last && last.topic === m.topic) last.messages.push(entry);
        else topicMessages.push({ topic: m.topic, messages: [entry] });
      }
      try {
        const topics = [...new Set(messages.map((m) => m.topic))];
        if (topics.some((t) => !partitionCounts.has(t))) await learnPartitionCounts(topics);
        const acks = await p.sendBatch({
          topicMessages,
          acks: -1,
          timeout: options.sendTimeoutMs ?? 10_000,
          ...(options.gzip ? { compression: CompressionTypes.GZIP } : {}),
        });
        const missing = unacknowledgedPartitions(
          expectedPartitions(messages, (t) => partitionCounts.get(t) ?? 1),
          acks,
        );
        if (missing.length > 0) {
          // Also what a topic that gained partitions looks like: learn the counts again before the retry.
          partitionCounts.clear();
          throw publishFailure(`the brokers did not acknowledge ${missing.join(", ")}`, false);
        }
      } catch (err) {
        producer = undefined;
        await p.disconnect().catch(() => undefined);
        throw classifyKafkaError(err);
      }
    },
    close: async () => {
      await producer?.disconnect().catch(() => undefined);
      producer = undefined;
    },
  };
};
