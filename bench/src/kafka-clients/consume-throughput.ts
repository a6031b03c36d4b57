import { randomUUID } from "node:crypto";
import type { KafkaClient } from "./client.js";

export interface ConsumeFigures {
  readonly messages: number;
  readonly bytes: number;
  /** From asking to consume to the first message: connecting, joining the group, the first fetch. */
  readonly startToFirstMessageMs: number;
  /** From the first message to the last. */
  readonly messagesPerSecond: number;
  /** Including the start. */
  readonly messagesPerSecondWithStart: number;
  readonly cpuUsPerMessage: number;
}

/** Reads `expected` messages from the beginning of `topic` with a fresh group, as a new replica does. */
export const measureConsume = async (client: KafkaClient, topic: string, expected: number, timeoutMs: number): Promise<ConsumeFigures> => {
  let count = 0;
  let bytes = 0;
  let firstAt = 0;
  let lastAt = 0;
  let cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  let finish: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const timer = setTimeout(() => fail(new Error(`${client.name}: ${count} of ${expected} messages after ${timeoutMs} ms`)), timeoutMs);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const consumer = await client.consume({
    topic,
    groupId: `bench-kafka-clients.${randomUUID().slice(0, 8)}`,
    onMessage: (m) => {
      count += 1;
      bytes += m.value?.length ?? 0;
      if (count === 1) firstAt = performance.now();
      if (count === expected) {
        lastAt = performance.now();
        cpu = process.cpuUsage(cpuBefore);
        finish();
      }
    },
    onError: (error) => fail(error),
  });
  try {
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.stop();
  }
  return {
    messages: count,
    bytes,
    startToFirstMessageMs: firstAt - started,
    messagesPerSecond: (expected - 1) / ((lastAt - firstAt) / 1000),
    messagesPerSecondWithStart: expected / ((lastAt - started) / 1000),
    cpuUsPerMessage: (cpu.user + cpu.system) / expected,
  };
};
