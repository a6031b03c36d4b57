import type { Consumer, IHeaders, Kafka } from "kafkajs";
import type { Logger } from "../http/logger.js";
import { chosenPartitionsAssigner } from "./chosen-partitions-assigner.js";
import { keepConsumerRunning } from "./keep-consumer-running.js";
import type { ConsumedMessage, MessageSubscriber } from "./message-bus.js";
import { recordBytes } from "./record-bytes.js";

export interface KafkaSubscriberOptions {
  readonly log: Logger;
  /** How long the broker holds an idle fetch open, unless a subscription says. Default 500. */
  readonly idleFetchMs?: number;
  /** Wait between attempts to (re)start a consumer while Kafka is unreachable. Default 2000. */
  readonly reconnectDelayMs?: number;
  /**
   * A consumer that has completed no fetch for this long is replaced by a new one, unless a subscription says.
   * Only for handlers that never wait long. Default: never.
   */
  readonly restartAfterSilentMs?: number;
}

/** Kafka headers as text (kafkajs gives Buffers). */
/** Shared by every message without headers: a load receives a million of them. */
const NO_HEADERS: Record<string, string> = Object.freeze({});

export const headerText = (headers: IHeaders | undefined): Record<string, string> => {
  let text: Record<string, string> | undefined;
  for (const k in headers) {
    const v = headers[k];
    text ??= {};
    text[k] = Buffer.isBuffer(v) ? v.toString() : String(v ?? "");
  }
  return text ?? NO_HEADERS;
};

/**
 * kafkajs adapter of `MessageSubscriber`. Every subscription runs under `keepConsumerRunning`, so it comes
 * up while the broker is away and survives crashes kafkajs does not restart from. The group's session is
 * 6 s unless the subscription says (the broker's smallest), so a process restarted after a crash waits at
 * most that for its predecessor's partitions. Chosen `partitions` are given by `chosenPartitionsAssigner`,
 * to every member alike. With `stored` positions the consumer seeks to them on every join, commits nothing,
 * and drops any message below them before the handler sees it; with `group` positions each handled offset
 * is committed.
 */
export const createKafkaSubscriber = (kafka: Kafka, options: KafkaSubscriberOptions): MessageSubscriber => ({
  subscribe: (request, handler) => {
    const { positions } = request;
    const create = (): Consumer => {
      const c = kafka.consumer({
        groupId: request.group,
        maxWaitTimeInMs: request.idleFetchMs ?? options.idleFetchMs ?? 500,
        sessionTimeout: request.sessionTimeoutMs ?? 6_000,
        ...(request.minFetchBytes === undefined ? {} : { minBytes: request.minFetchBytes }),
        ...(request.maxFetchBytes === undefined
          ? {}
          : { maxBytes: request.maxFetchBytes, maxBytesPerPartition: Math.min(request.maxFetchBytes, 1_048_576) }),
        heartbeatInterval: 1_000,
        allowAutoTopicCreation: false,
        ...(request.partitions ? { partitionAssigners: [chosenPartitionsAssigner(request.partitions)] } : {}),
        retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
      });
      if (request.onFetch) c.on(c.events.FETCH, request.onFetch);
      c.on(c.events.CRASH, (e) => request.onState?.(String(e.payload.error?.message ?? e.payload.error)));
      if (positions.kind === "stored") {
        c.on(c.events.GROUP_JOIN, (e) => {
          for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) {
            for (const partition of partitions) {
              const offset = positions.next(topic, partition);
              if (offset !== undefined) c.seek({ topic, partition, offset: String(offset) });
            }
          }
        });
      }
      return c;
    };
    const start = async (c: Consumer) => {
      await c.connect();
      await c.subscribe({
        topics: [...request.topics],
        // Stored positions commit nothing, so where no position is sought this decides the start on every join.
        fromBeginning: positions.kind === "group" || positions.unknownFrom !== "end",
      });
      await c.run({
        partitionsConsumedConcurrently: request.partitionsConsumedConcurrently ?? 1,
        autoCommit: positions.kind === "group",
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
          request.onReceived?.(batch.topic, recordBytes(batch.messages));
          const from = positions.kind === "stored" ? (positions.next(batch.topic, batch.partition) ?? 0) : 0;
          const messages: ConsumedMessage[] = [];
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            if (offset >= from) messages.push({ offset, key: m.key, value: m.value, headers: headerText(m.headers) });
          }
          if (messages.length > 0) {
            await handler(
              { topic: batch.topic, partition: batch.partition, messages, highWatermark: Number(batch.highWatermark) },
              {
                handled: async (offset) => {
                  resolveOffset(String(offset));
                  if (positions.kind === "group") await commitOffsetsIfNecessary();
                },
                heartbeat,
              },
            );
          }
          resolveOffset(batch.lastOffset());
          await heartbeat();
        },
      });
    };
    const restartAfterSilentMs = request.restartAfterSilentMs ?? options.restartAfterSilentMs;
    return keepConsumerRunning({
      name: request.name,
      log: options.log,
      create,
      start,
      delayMs: options.reconnectDelayMs ?? 2000,
      ...(restartAfterSilentMs === undefined ? {} : { restartAfterSilentMs }),
      ...(request.onState ? { onState: request.onState } : {}),
    });
  },
  endOffsets: async (topic) => {
    const admin = kafka.admin();
    try {
      await admin.connect();
      return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
});
