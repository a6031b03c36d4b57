import type { Logger } from "./http/logger.js";
import type { MessagePublisher } from "./kafka/message-bus.js";

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
 * number of attempts and the message's original place in its headers. One letter a publish, in order, so a
 * failure leaves the letters after it unsent and the feed tries them again.
 */
export const createDeadLetterSink = (publisher: MessagePublisher, replicaId: string, log: Logger): DeadLetterSink => {
  let count = 0;
  return {
    send: async (letters) => {
      for (const letter of letters) {
        await publisher.publish([
          {
            topic: deadLetterTopic(letter.topic),
            key: letter.key?.toString() ?? "",
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
        ]);
        count += 1;
        log.warn("message dead-lettered", { topic: letter.topic, partition: letter.partition, offset: letter.offset, error: letter.error });
      }
    },
    sent: () => count,
    close: () => publisher.close(),
  };
};
