import type { BenchMessage, KafkaClient } from "./client.js";

export interface ProduceFigures {
  readonly messages: number;
  readonly elapsedMs: number;
  readonly messagesPerSecond: number;
  /** CPU time of this process (user + system) per message, in microseconds: the client's own cost. */
  readonly cpuUsPerMessage: number;
}

/** Publishes `messages` in batches of `batchSize`, one batch at a time, as the relay drains its outbox. */
export const measureProduce = async (
  client: KafkaClient,
  topic: string,
  messages: readonly BenchMessage[],
  batchSize: number,
): Promise<ProduceFigures> => {
  const producer = await client.producer(topic);
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < messages.length; i += batchSize) await producer.send(messages.slice(i, i + batchSize));
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      messages: messages.length,
      elapsedMs,
      messagesPerSecond: messages.length / (elapsedMs / 1000),
      cpuUsPerMessage: (cpu.user + cpu.system) / messages.length,
    };
  } finally {
    await producer.close();
  }
};
