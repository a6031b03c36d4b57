import { Kafka, logLevel } from "kafkajs";

export interface LoggedMessage {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly event: { eventId: string; eventType: string; aggregate: { id: string; version: number }; payload: Record<string, unknown> };
}

/** Reads a topic from offset zero up to its current end, as an auditor would. */
export const readWholeTopic = async (brokers: string, topic: string, timeoutMs = 30_000): Promise<LoggedMessage[]> => {
  const kafka = new Kafka({ clientId: "e2e-auditor", brokers: [brokers], logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 10_000 });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  const messages: LoggedMessage[] = [];
  if (remaining.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `e2e-auditor-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`topic ${topic} not read to its end in ${timeoutMs} ms`)), timeoutMs);
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset);
        if (offset < (ends.get(partition) ?? 0)) {
          messages.push({ partition, offset, key: message.key?.toString() ?? "", event: JSON.parse(message.value!.toString()) });
        }
        if (offset + 1 >= (ends.get(partition) ?? 0)) remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  return messages;
};
