import type { Admin, Kafka } from "kafkajs";

/**
 * The end offset of every partition of the event topics, by logical topic name, through one admin client kept
 * connected between calls (a flush asks every `AVAILABILITY_COALESCE_MS`); a failed call drops it for the next.
 */
export const eventLogEnds = (kafka: Kafka, topics: readonly { logical: string; broker: string }[]) => {
  let admin: Admin | undefined;
  const ends = async (): Promise<Record<string, number[]>> => {
    if (!admin) {
      const fresh = kafka.admin();
      await fresh.connect();
      admin = fresh;
    }
    try {
      const result: Record<string, number[]> = {};
      for (const t of topics) {
        const offsets = await admin.fetchTopicOffsets(t.broker);
        result[t.logical] = offsets.sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
      }
      return result;
    } catch (err) {
      const failed = admin;
      admin = undefined;
      await failed.disconnect().catch(() => undefined);
      throw err;
    }
  };
  return { ends, close: async () => admin?.disconnect().catch(() => undefined) };
};
