import type { Kafka } from "kafkajs";
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { deadLetterTopic, readTopicToEnd, type MessagePublisher, type TopicMessage } from "@inventory/platform";
import type { Database } from "../db/database.js";
import { deadLetterReplays, outbox } from "../db/schema.js";
import { OUTBOX_CHANNEL } from "../outbox/append-to-outbox.js";

/** The id of an outbox row Kafka refused (see `deadLetteredAt` in the schema): `outbox-<row id>`. */
const OUTBOX_LETTER = /^outbox-(\d{1,19})$/;

export interface DeadLetterView {
  /** `<partition>-<offset>` in the dead-letter topic, or `outbox-<id>` for an event Kafka refused to take. */
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
 * has been replayed, then the outbox events Kafka refused to take (never on any topic, so kept in the
 * outbox). A replay sends the original bytes back to the original topic; if they fail again, a
 * replica dead-letters them again and they return to the list as a new entry. An outbox dead letter's
 * replay hands the row back to the relay, which dead-letters it again (same id) if Kafka still refuses it.
 */
export const createDeadLetterQueue = (deps: {
  kafka: Kafka;
  /** Sends replays, partitioned as the relay partitions, so a replayed event lands where its store's agent reads. */
  publisher: MessagePublisher;
  db: Database;
  brokerTopic: (topic: string) => string;
}) => {
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

  const outboxLetters = async (topic: string, limit: number): Promise<DeadLetterView[]> =>
    (
      await deps.db
        .select({
          id: outbox.id,
          key: outbox.messageKey,
          error: outbox.deadLetterError,
          value: sql<string>`left(${outbox.event}::text, 4000)`,
        })
        .from(outbox)
        .where(and(eq(outbox.topic, topic), isNull(outbox.publishedAt), isNotNull(outbox.deadLetteredAt)))
        .orderBy(outbox.id)
        .limit(limit)
    ).map((r) => ({
      messageId: `outbox-${r.id}`,
      topic,
      partition: -1,
      offset: -1,
      key: r.key,
      error: r.error ?? "unknown",
      attempts: 1,
      replicaId: "outbox-relay",
      value: r.value,
    }));

  /** Hands refused outbox rows back to the relay; answers which were dead letters and which exist but are not. */
  const replayOutbox = async (topic: string, ids: readonly string[]) => {
    const rowIds = ids.map((id) => Number(OUTBOX_LETTER.exec(id)![1]));
    if (rowIds.length === 0) return { replayed: new Set<string>(), notDead: new Set<string>() };
    const replayed = await deps.db
      .update(outbox)
      // The refusal stays in dead_letter_error: it keeps a replayed event, older than the backlog's age limit,
      // from closing writes while the relay tries it again (see the backlog in pg-outbox-store.ts).
      .set({ deadLetteredAt: null })
      .where(and(eq(outbox.topic, topic), inArray(outbox.id, rowIds), isNotNull(outbox.deadLetteredAt)))
      .returning({ id: outbox.id });
    await deps.db.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
    const existing = await deps.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.topic, topic), inArray(outbox.id, rowIds)));
    const done = new Set(replayed.map((r) => `outbox-${r.id}`));
    return { replayed: done, notDead: new Set(existing.map((r) => `outbox-${r.id}`).filter((id) => !done.has(id))) };
  };

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
        out.push(...(await outboxLetters(topic, limit)));
      }
      return out.slice(0, limit);
    },
    replay: async (topic: string, requested: readonly string[], by: string) => {
      const fromOutbox = await replayOutbox(
        topic,
        requested.filter((id) => OUTBOX_LETTER.test(id)),
      );
      const messageIds = requested.filter((id) => !OUTBOX_LETTER.test(id));
      const already = await replayedIds(topic, [...messageIds]);
      const wanted = new Set(messageIds.filter((id) => !already.has(id)));
      const found = (await read(topic)).filter((m) => wanted.has(`${m.partition}-${m.offset}`));
      for (const m of found) {
        const id = `${m.partition}-${m.offset}`;
        await deps.publisher.publish([
          {
            topic: deps.brokerTopic(topic),
            // Every event of the product has a key; a message that came without one goes back under the empty key.
            key: m.key?.toString() ?? "",
            value: m.value,
            headers: { replayOf: `${deadLetterTopic(deps.brokerTopic(topic))}/${id}` },
          },
        ]);
        await deps.db.insert(deadLetterReplays).values({ topic, messageId: id, replayedBy: by }).onConflictDoNothing();
      }
      const replayed = [...found.map((m) => `${m.partition}-${m.offset}`), ...fromOutbox.replayed];
      return {
        replayed,
        alreadyReplayed: requested.filter((id) => already.has(id) || fromOutbox.notDead.has(id)),
        unknown: requested.filter((id) => !replayed.includes(id) && !already.has(id) && !fromOutbox.notDead.has(id)),
      };
    },
    close: async () => {
      await deps.publisher.close().catch(() => undefined);
    },
  };
};

export type DeadLetterQueue = ReturnType<typeof createDeadLetterQueue>;
