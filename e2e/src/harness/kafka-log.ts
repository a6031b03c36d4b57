import { createKafka, readTopicToEnd, silentLogger } from "@inventory/platform";

export interface LoggedMessage {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly event: { eventId: string; eventType: string; aggregate: { id: string; version: number }; payload: Record<string, unknown> };
}

/** Reads a topic from offset zero up to its current end, as an auditor would. */
export const readWholeTopic = async (brokers: string, topic: string): Promise<LoggedMessage[]> => {
  const kafka = createKafka({ brokers: [brokers], clientId: "e2e-auditor" }, silentLogger);
  return (await readTopicToEnd(kafka, topic, { timeoutMs: 30_000 })).map((m) => ({
    partition: m.partition,
    offset: m.offset,
    key: m.key?.toString() ?? "",
    event: JSON.parse(m.value!.toString()),
  }));
};
