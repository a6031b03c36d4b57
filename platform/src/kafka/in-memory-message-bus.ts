import { partitionKeyOf } from "@inventory/shared";
import type {
  BatchHandler,
  ConsumedMessage,
  MessagePublisher,
  MessageSubscriber,
  OutgoingMessage,
  SubscribeRequest,
  Subscription,
} from "./message-bus.js";
import { publishFailure, type PublishFailure } from "./publish-failure.js";
import { recordBytes } from "./record-bytes.js";
import { storePartition } from "./store-affine-partitioner.js";

export interface StoredMessage extends ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
}

/**
 * Decides, per message, whether a publish of it fails, as a broker would: a partition with one failed
 * message stores none of the batch's messages for it; the other partitions store theirs.
 */
export type PublishFault = (message: OutgoingMessage, partition: number) => PublishFailure | undefined;

export interface InMemoryMessageBus extends MessagePublisher, MessageSubscriber {
  /** Every message stored on a topic, partition by partition, in offset order. */
  messages(topic: string): StoredMessage[];
  /** Makes publishes fail as `fault` says, until set again (undefined: no fault). */
  setFault(fault: PublishFault | undefined): void;
  /** Times `publish` was called, failed ones included. */
  publishCalls(): number;
  /** The offset a group has committed on a partition (the next one it will read). */
  committed(group: string, topic: string, partition: number): number;
}

interface Member {
  readonly request: SubscribeRequest;
  readonly handler: BatchHandler;
  /** Next offset to deliver, per `topic/partition` this member owns. */
  readonly cursors: Map<string, number>;
}

/**
 * An in-memory Kafka for unit tests: topics of `partitions` partitions created on first use, messages placed
 * by the production store-affine partitioner, offsets from zero, consumer groups whose members share the
 * partitions (partition i goes to member i mod n, reassigned on every join and leave; chosen `partitions` go to
 * every member that chose them), committed offsets
 * for `group` positions and the subscriber's own for `stored` ones.
 */
export const createInMemoryMessageBus = (
  options: { partitions?: number; maxBatchSize?: number; pollMs?: number } = {},
): InMemoryMessageBus => {
  const partitionCount = options.partitions ?? 6;
  const maxBatchSize = options.maxBatchSize ?? 100;
  const pollMs = options.pollMs ?? 2;
  const logs = new Map<string, StoredMessage[][]>();
  const commits = new Map<string, number>();
  const groups = new Map<string, Member[]>();
  let fault: PublishFault | undefined;
  let calls = 0;

  const topicLog = (topic: string) => {
    let log = logs.get(topic);
    if (!log) {
      log = Array.from({ length: partitionCount }, () => []);
      logs.set(topic, log);
    }
    return log;
  };
  const partitionOf = (key: string) => storePartition(partitionKeyOf(key), partitionCount);

  const owned = (member: Member, topic: string, partition: number) => {
    if (!member.request.topics.includes(topic)) return false;
    const choice = member.request.partitions;
    if (choice) return choice(topic, partitionCount).includes(partition);
    const members = groups.get(member.request.group) ?? [];
    return members[partition % members.length] === member;
  };

  const startOffset = (member: Member, topic: string, partition: number) => {
    const positions = member.request.positions;
    if (positions.kind === "stored")
      return positions.next(topic, partition) ?? (positions.unknownFrom === "end" ? topicLog(topic)[partition]!.length : 0);
    return commits.get(`${member.request.group}/${topic}/${partition}`) ?? 0;
  };

  /** Delivers one batch per owned partition that has messages past the member's cursor. */
  const deliver = async (member: Member) => {
    member.request.onFetch?.();
    for (const topic of member.request.topics) {
      const log = topicLog(topic);
      for (let partition = 0; partition < log.length; partition++) {
        const place = `${topic}/${partition}`;
        if (!owned(member, topic, partition)) {
          member.cursors.delete(place);
          continue;
        }
        const cursor = member.cursors.get(place) ?? startOffset(member, topic, partition);
        member.cursors.set(place, cursor);
        const positions = member.request.positions;
        const from = positions.kind === "stored" ? Math.max(cursor, positions.next(topic, partition) ?? 0) : cursor;
        const messages = log[partition]!.slice(from, from + maxBatchSize);
        if (messages.length === 0) continue;
        member.request.onReceived?.(topic, recordBytes(messages));
        let handledUpTo = from - 1;
        const commit = (offset: number) => {
          if (positions.kind === "group") commits.set(`${member.request.group}/${place}`, offset + 1);
        };
        try {
          await member.handler(
            { topic, partition, messages, highWatermark: log[partition]!.length },
            {
              handled: async (offset) => {
                handledUpTo = offset;
                commit(offset);
              },
              heartbeat: async () => undefined,
            },
          );
          handledUpTo = messages[messages.length - 1]!.offset;
          commit(handledUpTo);
          member.cursors.set(place, handledUpTo + 1);
        } catch (err) {
          member.cursors.set(place, handledUpTo + 1);
          member.request.onState?.(err instanceof Error ? err.message : String(err));
        }
      }
    }
  };

  return {
    publish: async (batch) => {
      calls += 1;
      const placed = batch.map((message) => ({ message, partition: partitionOf(message.key) }));
      const failures = new Map<string, PublishFailure>();
      for (const { message, partition } of placed) {
        const failed = fault?.(message, partition);
        if (failed && !failures.has(`${message.topic}/${partition}`)) failures.set(`${message.topic}/${partition}`, failed);
      }
      for (const { message, partition } of placed) {
        if (failures.has(`${message.topic}/${partition}`)) continue;
        const log = topicLog(message.topic)[partition]!;
        log.push({
          topic: message.topic,
          partition,
          offset: log.length,
          key: Buffer.from(message.key),
          value: message.value === null ? null : Buffer.from(message.value),
          headers: { ...message.headers },
        });
      }
      if (failures.size > 0) {
        const all = [...failures.values()];
        throw publishFailure(
          `not stored: ${[...failures.keys()].join(", ")} (${all[0]!.message})`,
          all.some((f) => f.permanent),
        );
      }
    },
    close: async () => undefined,
    subscribe: (request, handler): Subscription => {
      const member: Member = { request, handler, cursors: new Map() };
      const members = groups.get(request.group) ?? [];
      groups.set(request.group, [...members, member]);
      let stopped = false;
      request.onState?.(null);
      const running = (async () => {
        while (!stopped) {
          await deliver(member);
          await new Promise((r) => setTimeout(r, pollMs));
        }
      })();
      return {
        stop: async () => {
          stopped = true;
          await running;
          groups.set(
            request.group,
            (groups.get(request.group) ?? []).filter((m) => m !== member),
          );
        },
      };
    },
    endOffsets: async (topic) => new Map(topicLog(topic).map((log, partition) => [partition, log.length])),
    messages: (topic) => topicLog(topic).flat(),
    setFault: (f) => {
      fault = f;
    },
    publishCalls: () => calls,
    committed: (group, topic, partition) => commits.get(`${group}/${topic}/${partition}`) ?? 0,
  };
};
