import type { Kafka, Producer } from "kafkajs";
import type { Logger } from "./http/logger.js";

export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly error: string;
  readonly attempts: number;
}

/** Where a replica puts a message it can never apply, so that it can move on. */
export interface DeadLetterSink {
  send(letters: readonly DeadLetter[]): Promise<void>;
  sent(): number;
  close(): Promise<void>;
}

export const deadLetterTopic = (brokerTopic: string) => `${brokerTopic}.dlt`;

/**
 * Publishes dead letters to `<topic>.dlt`, keeping the original key and bytes and putting the error, the
 * number of attempts and the message's original place in its headers.
 */
export const createKafkaDeadLetterSink = (kafka: Kafka, replicaId: string, log: Logger): DeadLetterSink => {
  let producer: Producer | undefined;
  let count = 0;
  return {
    send: async (letters) => {
      if (letters.length === 0) return;
      if (!producer) {
        const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 5 } });
        await p.connect();
        producer = p;
      }
      for (const letter of letters) {
        await producer.send({
          topic: deadLetterTopic(letter.topic),
          acks: -1,
          timeout: 10_000,
          messages: [
            {
              key: letter.key,
              value: letter.value,
              headers: {
                error: letter.error.slice(0, 1000),
                attempts: String(letter.attempts),
                sourceTopic: letter.topic,
                sourcePartition: String(letter.partition),
                sourceOffset: String(letter.offset),
                replicaId,
              },
            },
          ],
        });
        count += 1;
        log.warn("message dead-lettered", { topic: letter.topic, partition: letter.partition, offset: letter.offset, error: letter.error });
      }
    },
    sent: () => count,
    close: async () => {
      await producer?.disconnect().catch(() => undefined);
    },
  };
};
