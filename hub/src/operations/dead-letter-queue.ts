import type { Kafka, Producer } from "kafkajs";
import { and, eq, inArray } from "drizzle-orm";
import { deadLetterTopic, readTopicToEnd, type TopicMessage } from "@inventory/read-model";
import type { Database } from "../db/database.js";
import { deadLetterReplays } from "../db/schema.js";

export interface DeadLetterView {
  /** `<partition>-<offset>` in the dead-letter topic. */
  messageId: string;
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  error: string;
  attempts: number;
  replicaId: string | null;
  value: string | null;
}

const view = (logicalTopic: string, m: TopicMessage): DeadLetterView => ({
  messageId: `${m.partition}-${m.offset}`,
  topic: logicalTopic,
  partition: Number(m.headers.sourcePartition ?? -1),
  offset: Number(m.headers.sourceOffset ?? -1),
  key: m.key?.toString() ?? null,
  error: m.headers.error ?? "unknown",
  attempts: Number(m.headers.attempts ?? 1),
  replicaId: m.headers.replicaId ?? null,
  value: m.value?.toString("utf8").slice(0, 4000) ?? null,
});

/**
 * The operators' view of dead letters: what replicas could not apply, read from `<topic>.dlt`, less what
 * has been replayed. A replay sends the original bytes back to the original topic; if they fail again, a
 * replica dead-letters them again and they return to the list as a new entry.
 */
export const createDeadLetterQueue = (deps: { kafka: Kafka; db: Database; brokerTopic: (topic: string) => string }) => {
  let producer: Producer | undefined;
  const read = async (topic: string) => readTopicToEnd(deps.kafka, deadLetterTopic(deps.brokerTopic(topic)));
  const replayedIds = async (topic: string, ids: string[]) =>
    ids.length === 0
      ? new Set<string>()
      : new Set(
          (
            await deps.db
              .select({ id: deadLetterReplays.messageId })
              .from(deadLetterReplays)
              .where(and(eq(deadLetterReplays.topic, topic), inArray(deadLetterReplays.messageId, ids)))
          ).map((r) => r.id),
        );

  return {
    list: async (topics: readonly string[], limit: number): Promise<DeadLetterView[]> => {
      const out: DeadLetterView[] = [];
      for (const topic of topics) {
        const letters = (await read(topic)).map((m) => view(topic, m));
        const done = await replayedIds(
          topic,
          letters.map((l) => l.messageId),
        );
        out.push(...letters.filter((l) => !done.has(l.messageId)));
      }
      return out.slice(0, limit);
    },
    replay: async (topic: string, messageIds: readonly string[], by: string) => {
      const already = await replayedIds(topic, [...messageIds]);
      const wanted = new Set(messageIds.filter((id) => !already.has(id)));
      const found = (await read(topic)).filter((m) => wanted.has(`${m.partition}-${m.offset}`));
      if (!producer) {
        const p = deps.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
        await p.connect();
        producer = p;
      }
      for (const m of found) {
        const id = `${m.partition}-${m.offset}`;
        await producer.send({
          topic: deps.brokerTopic(topic),
          acks: -1,
          timeout: 10_000,
          messages: [{ key: m.key, value: m.value, headers: { replayOf: `${deadLetterTopic(deps.brokerTopic(topic))}/${id}` } }],
        });
        await deps.db.insert(deadLetterReplays).values({ topic, messageId: id, replayedBy: by }).onConflictDoNothing();
      }
      const replayed = found.map((m) => `${m.partition}-${m.offset}`);
      return {
        replayed,
        alreadyReplayed: messageIds.filter((id) => already.has(id)),
        unknown: messageIds.filter((id) => !replayed.includes(id) && !already.has(id)),
      };
    },
    close: async () => {
      await producer?.disconnect().catch(() => undefined);
    },
  };
};

export type DeadLetterQueue = ReturnType<typeof createDeadLetterQueue>;
