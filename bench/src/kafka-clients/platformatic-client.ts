import { readFileSync } from "node:fs";
import { compatibilityPartitioner, Consumer, MessagesStreamModes, ProduceAcks, Producer, stringSerializers } from "@platformatic/kafka";
import { CONSUMER_SETTINGS, PRODUCER_SETTINGS, type KafkaClient } from "./client.js";

/** Its package exports no `package.json`; the version is read next to its entry point. */
const version = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.resolve("@platformatic/kafka")), "utf8")) as { version: string }
).version;

/**
 * @platformatic/kafka set up to behave like the product's kafkajs code: an idempotent producer with acks=all,
 * keys placed on the partitions kafkajs (and the Java client) would choose, and consumers that start from
 * the earliest offset without committing. Its consumer is a stream of single messages; it has no `eachBatch`.
 */
export const platformaticClient = (brokers: readonly string[]): KafkaClient => ({
  name: "@platformatic/kafka",
  version,
  producer: async (topic) => {
    const p = new Producer({
      clientId: "bench-platformatic",
      bootstrapBrokers: [...brokers],
      idempotent: true,
      acks: ProduceAcks.ALL,
      // Its default partitioner hashes keys to other partitions than kafkajs does; this one matches kafkajs.
      partitioner: compatibilityPartitioner,
      serializers: stringSerializers,
      autocreateTopics: false,
      timeout: PRODUCER_SETTINGS.sendTimeoutMs,
      retries: PRODUCER_SETTINGS.retries,
    });
    await p.initIdempotentProducer({});
    await p.metadata({ topics: [topic] });
    return {
      send: async (messages) => {
        await p.send({ messages: messages.map((m) => ({ topic, key: m.key, value: m.value, headers: m.headers })) });
      },
      close: () => p.close(),
    };
  },
  consume: async ({ topic, groupId, onMessage, onError }) => {
    const c = new Consumer({
      clientId: "bench-platformatic",
      bootstrapBrokers: [...brokers],
      groupId,
      sessionTimeout: CONSUMER_SETTINGS.sessionTimeoutMs,
      heartbeatInterval: CONSUMER_SETTINGS.heartbeatIntervalMs,
      maxWaitTime: CONSUMER_SETTINGS.maxWaitMs,
      maxBytes: CONSUMER_SETTINGS.maxBytes,
      maxBytesPerPartition: CONSUMER_SETTINGS.maxBytesPerPartition,
      autocommit: false,
    });
    const stream = await c.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    stream.on("error", onError);
    stream.on("data", (m) => onMessage({ partition: m.partition, key: m.key ?? null, value: m.value ?? null }));
    return {
      stop: async () => {
        await stream.close();
        await c.close();
      },
    };
  },
});
