import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { percentile } from "../stats.js";
import type { KafkaClient } from "./client.js";
import { seqOf, stockEventMessage } from "./event-messages.js";

export interface LatencyFigures {
  readonly sent: number;
  readonly seen: number;
  /** Producer send resolved (every replica acknowledged) → the consumer handed the message over, ms. */
  readonly ackToSeenP50Ms: number;
  readonly ackToSeenP99Ms: number;
  /** Producer send started → the consumer handed the message over, ms. */
  readonly sendToSeenP50Ms: number;
  readonly sendToSeenP99Ms: number;
  /** How long a send took to resolve, ms. */
  readonly sendP50Ms: number;
  readonly sendP99Ms: number;
  /** Share of messages the consumer handed over before their send had resolved (negative ack → seen). */
  readonly seenBeforeAckShare: number;
  /** Each key's partition, to check that both clients place keys alike. */
  readonly keyPartitions: ReadonlyMap<string, number>;
}

/** Probe messages that show the consumer is fetching carry sequence numbers from here on. */
const PROBE_BASE = 900_000_000;

/**
 * With a consumer already in its group, publishes `ratePerSecond` single-message sends for `durationS`
 * (one at a time, as the relay publishes each commit) and times each message from its send to the consumer.
 */
export const measureLatency = async (
  client: KafkaClient,
  topic: string,
  ratePerSecond: number,
  durationS: number,
): Promise<LatencyFigures> => {
  const runId = randomUUID().slice(0, 12);
  const total = Math.round(ratePerSecond * durationS);
  const sendStartedAt = new Array<number>(total).fill(NaN);
  const ackedAt = new Array<number>(total).fill(NaN);
  const seenAt = new Array<number>(total).fill(NaN);
  const keyPartitions = new Map<string, number>();
  let seen = 0;
  let probeSeen = false;
  let consumerError: unknown;
  let allSeen: () => void = () => undefined;
  const everySeen = new Promise<void>((resolve) => (allSeen = resolve));

  const consumer = await client.consume({
    topic,
    groupId: `bench-kafka-clients.${randomUUID().slice(0, 8)}`,
    onMessage: (m) => {
      const at = performance.now();
      if (!m.value) return;
      const seq = seqOf(m.value);
      if (seq >= PROBE_BASE) {
        probeSeen = true;
        return;
      }
      if (seq >= total || !Number.isNaN(seenAt[seq]!)) return;
      seenAt[seq] = at;
      if (m.key) keyPartitions.set(m.key.toString("utf8"), m.partition);
      if (++seen === total) allSeen();
    },
    onError: (error) => (consumerError = error),
  });
  const producer = await client.producer(topic);
  try {
    const probeDeadline = performance.now() + 30_000;
    for (let probe = 0; !probeSeen; probe++) {
      if (consumerError) throw consumerError;
      if (performance.now() > probeDeadline) throw new Error(`${client.name}: the consumer saw no probe within 30 s`);
      await producer.send([stockEventMessage(runId, PROBE_BASE + probe)]);
      await sleep(100);
    }
    const intervalMs = 1000 / ratePerSecond;
    const t0 = performance.now();
    for (let seq = 0; seq < total; seq++) {
      const wait = t0 + seq * intervalMs - performance.now();
      if (wait > 1) await sleep(wait);
      const message = stockEventMessage(runId, seq);
      sendStartedAt[seq] = performance.now();
      await producer.send([message]);
      ackedAt[seq] = performance.now();
    }
    await Promise.race([everySeen, sleep(10_000)]);
    if (consumerError) throw consumerError;
  } finally {
    await producer.close();
    await consumer.stop();
  }

  const ackToSeen: number[] = [];
  const sendToSeen: number[] = [];
  const send: number[] = [];
  for (let seq = 0; seq < total; seq++) {
    send.push(ackedAt[seq]! - sendStartedAt[seq]!);
    if (Number.isNaN(seenAt[seq]!)) continue;
    ackToSeen.push(seenAt[seq]! - ackedAt[seq]!);
    sendToSeen.push(seenAt[seq]! - sendStartedAt[seq]!);
  }
  return {
    sent: total,
    seen,
    ackToSeenP50Ms: percentile(ackToSeen, 50),
    ackToSeenP99Ms: percentile(ackToSeen, 99),
    sendToSeenP50Ms: percentile(sendToSeen, 50),
    sendToSeenP99Ms: percentile(sendToSeen, 99),
    sendP50Ms: percentile(send, 50),
    sendP99Ms: percentile(send, 99),
    seenBeforeAckShare: ackToSeen.filter((ms) => ms < 0).length / Math.max(1, ackToSeen.length),
    keyPartitions,
  };
};
