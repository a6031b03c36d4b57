import type { Kafka, Producer } from "kafkajs";
import { storeAffinePartitioner } from "@inventory/read-model";

export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** The relay's port to the event backbone: publish in order, resolve only when every message is acknowledged. */
export interface EventPublisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * kafkajs adapter: an idempotent producer with one request in flight, so a retried send
 * neither duplicates nor reorders messages within a partition. Partitions are store-affine: all of a
 * store's messages on one partition of each topic (`storeAffinePartitioner`).
 */
export const createKafkaPublisher = (kafka: Kafka, options: { sendTimeoutMs?: number } = {}): EventPublisher => {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
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
      const p = await connected();
      const topicMessages: { topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[] = [];
      for (const m of messages) {
        const last = topicMessages[topicMessages.length - 1];
        const entry = { key: m.key, value: m.value, headers: m.headers };
        if (last && last.topic === m.topic) last.messages.push(entry);
        else topicMessages.push({ topic: m.topic, messages: [entry] });
      }
      try {
        await p.sendBatch({ topicMessages, acks: -1, timeout: options.sendTimeoutMs ?? 10_000 });
      } catch (err) {
        producer = undefined;
        await p.disconnect().catch(() => undefined);
        throw err;
      }
    },
    close: async () => {
      await producer?.disconnect().catch(() => undefined);
      producer = undefined;
    },
  };
};
