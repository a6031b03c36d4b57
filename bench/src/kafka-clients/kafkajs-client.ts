import { createRequire } from "node:module";
import { Kafka, logLevel } from "kafkajs";
import { CONSUMER_SETTINGS, PRODUCER_SETTINGS, type KafkaClient } from "./client.js";

const version = (createRequire(import.meta.url)("kafkajs/package.json") as { version: string }).version;

/** kafkajs configured as the product does: an idempotent producer with one request in flight, `eachBatch` consumers. */
export const kafkajsClient = (brokers: readonly string[]): KafkaClient => {
  const kafka = new Kafka({
    clientId: "bench-kafkajs",
    brokers: [...brokers],
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 10 },
    logLevel: logLevel.WARN,
  });
  return {
    name: "kafkajs",
    version,
    producer: async (topic) => {
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: PRODUCER_SETTINGS.retries },
      });
      await p.connect();
      return {
        send: async (messages) => {
          await p.sendBatch({
            topicMessages: [{ topic, messages: messages.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })) }],
            acks: -1,
            timeout: PRODUCER_SETTINGS.sendTimeoutMs,
          });
        },
        close: () => p.disconnect(),
      };
    },
    consume: async ({ topic, groupId, onMessage, onError }) => {
      const c = kafka.consumer({
        groupId,
        maxWaitTimeInMs: CONSUMER_SETTINGS.maxWaitMs,
        sessionTimeout: CONSUMER_SETTINGS.sessionTimeoutMs,
        heartbeatInterval: CONSUMER_SETTINGS.heartbeatIntervalMs,
        maxBytes: CONSUMER_SETTINGS.maxBytes,
        maxBytesPerPartition: CONSUMER_SETTINGS.maxBytesPerPartition,
        allowAutoTopicCreation: false,
      });
      c.on(c.events.CRASH, (e) => onError(e.payload.error));
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          for (const m of batch.messages) onMessage({ partition: batch.partition, key: m.key, value: m.value });
          resolveOffset(batch.lastOffset());
          await heartbeat();
        },
      });
      return { stop: () => c.disconnect() };
    },
  };
};
