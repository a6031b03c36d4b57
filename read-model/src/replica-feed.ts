import { setTimeout as sleep } from "node:timers/promises";
import { projectEvent } from "@inventory/shared";
import type { AppliedMessage, ReplicaStore } from "./replica-store.js";
import type {
  ConsumedMessage,
  DeadLetter,
  DeadLetterSink,
  Logger,
  MessageSubscriber,
  Metrics,
  PartitionChoice,
  Subscription,
} from "@inventory/platform";
import { projectStockEvent } from "./project-stock-event.js";
import { groupApply } from "./group-apply.js";
import { createFreshness, type Freshness } from "./freshness.js";
import { projectChainView } from "./project-chain-view.js";
import { CHAIN_VIEW_FETCH_BYTES, loadChainView } from "./load-chain-view.js";

export interface ReplicaFeedOptions {
  /** The broker (`createKafkaSubscriber` in production). */
  readonly subscriber: MessageSubscriber;
  readonly store: ReplicaStore;
  /** Broker topic names to follow. */
  readonly topics: readonly string[];
  /** Names this replica among its peers, e.g. `hub` or `agent-S1`. */
  readonly replicaId: string;
  readonly log: Logger;
  /** How long the broker holds an idle fetch open. Bounds how soon a cut-off replica notices. Default 500. */
  readonly idleFetchMs?: number;
  /** Wait between attempts to load the chain view and learn the topics' ends while Kafka is unreachable. Default 2000. */
  readonly reconnectDelayMs?: number;
  /** A consumer that has completed no fetch for this long is replaced by a new one. Default 15000. */
  readonly restartAfterSilentMs?: number;
  /** Receives messages that can never be applied; without one they are logged and skipped. */
  readonly deadLetters?: DeadLetterSink;
  readonly metrics?: Metrics;
  /** Called once, the first time the replica holds everything Kafka had (the end of a replay). */
  readonly onCaughtUp?: () => void;
  /**
   * Gives back the memory a burst of allocation grew (`releaseMemory` in production): called between the batches
   * of a chain-view load, every `LOAD_RELEASE_EVERY_RECORDS` records.
   */
  readonly releaseMemory?: () => void;
  /** Which partitions of each topic this replica reads (a store's agent: its store's); every partition without it. */
  readonly partitions?: PartitionChoice;
  /**
   * The chain view's topic on the broker, when this replica reads it (one of `topics`): its records are rows
   * applied by version and the view's position, not events. A replica file that has no event positions yet is
   * loaded from it first, and its event partitions continue from the offsets the view records.
   */
  readonly chainView?: {
    readonly topic: string;
    /** The logical name (as the view's position record names it) of a broker event topic. */
    readonly logicalTopic: (brokerTopic: string) => string;
    /**
     * The event topics a loaded replica continues from the view's offsets; the others are read from their start
     * (what Kafka retains). All of them without it.
     */
    readonly continues?: (brokerTopic: string) => boolean;
    /**
     * Whether the feed keeps reading the view once loaded (an agent: other stores' rows come only from it).
     * A replica fed by every event (the hub's) reads it only to load, so it does not apply a second copy of
     * every change. Default true.
     */
    readonly follow?: boolean;
  };
}

/** Tries of one message before a replica gives up on it. */
const APPLY_ATTEMPTS = 3;

/**
 * Partitions whose batches from one fetch are handled at once and so applied in one SQLite transaction
 * (see `groupApply`); each partition's own batches still come one after another, in order.
 */
const PARTITIONS_APPLIED_TOGETHER = 32;

/** Up to 20 distinct trace ids of a batch, for its log line. */
const traceIdsOf = (messages: readonly ConsumedMessage[]): string[] => {
  const ids = new Set<string>();
  for (const m of messages) {
    const id = m.headers.traceId;
    if (id) ids.add(id);
    if (ids.size === 20) break;
  }
  return [...ids];
};

export interface ReplicaFeedStatus {
  readonly state: "STARTING" | "RUNNING" | "STOPPED";
  readonly caughtUp: boolean;
  readonly lagMs: number;
  readonly lastError: string | null;
}

export interface ReplicaFeed {
  readonly freshness: Freshness;
  status(): ReplicaFeedStatus;
  stop(): Promise<void>;
}

/**
 * The replica's one identity on the broker: its name and its file's epoch, so restarts rejoin the same
 * group (none piles up on the brokers), and a wiped or rebuilt file, whose positions start afresh, gets a
 * group of its own. Nothing is ever committed to it: positions live in the replica file.
 */
export const replicaGroupId = (replicaId: string, epoch: string): string => `inventory-replica.${replicaId}.${epoch.slice(0, 8)}`;

/**
 * Feeds a replica from the broker, through the message-bus port. Positions live in the replica file, written
 * in the same SQLite transaction as the rows; they are the subscription's `stored` positions, so it starts
 * from them on every (re)join and never hands over anything below them: a redelivery never applies twice.
 * Nothing is committed to the broker; the group only names the replica there. A process restarted after a
 * crash waits at most the 6 s session timeout for its predecessor's place in the group, serving reads from
 * its file meanwhile; a graceful stop leaves at once. Starts in the background and keeps retrying, so reads
 * are served from the replica while Kafka is away.
 */
export const startReplicaFeed = (options: ReplicaFeedOptions): ReplicaFeed => {
  const idleFetchMs = options.idleFetchMs ?? 500;
  const freshness = createFreshness({ idleFetchMs, startedAt: Date.now() });
  const { store, log } = options;
  const nextOffsets = new Map<string, number>(store.positions().map((p) => [`${p.topic}/${p.partition}`, p.nextOffset]));
  let state: ReplicaFeedStatus["state"] = "STARTING";
  let lastError: string | null = null;
  let stopped = false;
  const stopping = new AbortController();
  const groupId = replicaGroupId(options.replicaId, store.epoch);

  /** The topics read once loaded: the view only if it is followed. */
  const followed = options.topics.filter((t) => t !== options.chainView?.topic || options.chainView.follow !== false);

  const chosen = (topic: string, count: number): number[] =>
    options.partitions ? options.partitions(topic, count) : Array.from({ length: count }, (_, p) => p);

  const markKnownPositions = async () => {
    const ends = await Promise.all(followed.map(async (topic) => ({ topic, offsets: await options.subscriber.endOffsets(topic) })));
    for (const { topic, offsets } of ends) {
      const read = new Set(chosen(topic, offsets.size));
      for (const [partition, high] of offsets)
        if (read.has(partition)) freshness.known(`${topic}/${partition}`, nextOffsets.get(`${topic}/${partition}`) ?? 0, high);
    }
  };

  /** What a message does to the replica, or why it never can: a poison message must not stall the replica. */
  const toApplied = (
    topic: string,
    offset: number,
    value: Buffer | null,
    key: Buffer | null,
  ): AppliedMessage | { offset: number; rejected: string } => {
    if (topic === options.chainView?.topic) {
      // A key compacted away leaves a tombstone (null): nothing to apply.
      if (value === null) return { offset, changes: null, occurredAt: null };
      const view = projectChainView(key === null ? null : key.toString("utf8"), value);
      if (view.outcome === "rejected") return { offset, rejected: view.reason };
      if (view.outcome === "position") return { offset, changes: null, occurredAt: null, viewAsOf: view.position.at };
      return { offset, changes: view.changes, occurredAt: view.occurredAt };
    }
    let raw: unknown;
    try {
      raw = value === null ? null : JSON.parse(value.toString("utf8"));
    } catch {
      return { offset, rejected: "not JSON" };
    }
    const stockChange = projectStockEvent(raw);
    if (stockChange !== undefined) return { offset, changes: [stockChange], occurredAt: stockChange.lastEventAt };
    const projection = projectEvent(raw);
    if (projection.outcome === "changes") return { offset, changes: projection.changes, occurredAt: projection.event.occurredAt };
    if (projection.outcome === "rejected") return { offset, rejected: projection.reason };
    return { offset, changes: null, occurredAt: null };
  };

  /** Hands messages that can never be applied to the dead-letter sink, or logs and skips them without one. */
  const deadLetter = async (letters: readonly DeadLetter[]) => {
    if (letters.length === 0) return;
    if (options.deadLetters) await options.deadLetters.send(letters);
    else for (const l of letters) log.warn("event skipped", { topic: l.topic, offset: l.offset, reason: l.error });
    options.metrics?.deadLetters.inc({ topic: letters[0]!.topic }, letters.length);
  };

  let caughtUpAnnounced = false;
  /** Caught up once `onCaughtUp` has run: a replica is not reported caught up (ready) while it still holds its load's memory. */
  let settled = false;
  const announceCaughtUp = () => {
    if (caughtUpAnnounced || !freshness.caughtUp()) return;
    caughtUpAnnounced = true;
    // After the handlers of this fetch have returned, so that what they held can be let go.
    const onCaughtUp = options.onCaughtUp;
    if (onCaughtUp)
      setImmediate(() => {
        try {
          onCaughtUp();
        } finally {
          settled = true;
        }
      });
    else settled = true;
  };

  const applyGrouped = groupApply((batches) => store.applyBatches(batches));

  /**
   * Applies a batch with the other partitions' batches of this fetch, in one transaction. If that fails, the
   * batch is tried alone; if that fails too, each message is tried on its own, a few times, and one that still
   * fails is dead-lettered with its error so that the rest of the partition moves on.
   */
  const applyOrIsolate = async (topic: string, partition: number, messages: AppliedMessage[], raw: readonly ConsumedMessage[]) => {
    try {
      return await applyGrouped({ topic, partition, messages });
    } catch {
      // Another partition's batch may have failed the group: this batch is tried on its own first.
    }
    try {
      return store.applyBatch(topic, partition, messages);
    } catch (batchError) {
      log.warn("batch failed to apply; applying its messages one by one", { topic, partition, error: String(batchError) });
      let applied = 0;
      let ignored = 0;
      for (const message of messages) {
        for (let attempt = 1; ; attempt++) {
          try {
            const r = store.applyBatch(topic, partition, [message]);
            applied += r.applied;
            ignored += r.ignored;
            break;
          } catch (err) {
            if (attempt < APPLY_ATTEMPTS) continue;
            const m = raw.find((r) => r.offset === message.offset)!;
            await deadLetter([
              {
                topic,
                partition,
                offset: message.offset,
                key: m.key,
                value: m.value,
                error: `apply failed: ${String(err)}`,
                attempts: attempt,
              },
            ]);
            store.applyBatch(topic, partition, [{ offset: message.offset, changes: null, occurredAt: null }]);
            ignored += 1;
            break;
          }
        }
      }
      return { applied, ignored };
    }
  };

  /** Loads the chain view into a file without event positions, then learns where each partition ends. */
  const prepare = async () => {
    if (options.chainView) {
      const view = options.chainView;
      const loaded = await loadChainView({
        subscriber: options.subscriber,
        store,
        topic: view.topic,
        eventTopics: options.topics.filter((t) => t !== view.topic),
        continues: view.continues ?? (() => true),
        logicalTopic: view.logicalTopic,
        partitions: chosen,
        groupId,
        idleFetchMs,
        toApplied: (offset, value, key) => toApplied(view.topic, offset, value, key),
        ...(options.releaseMemory ? { releaseMemory: options.releaseMemory } : {}),
        signal: stopping.signal,
        onState: (error) => {
          if (error !== null) lastError = error;
        },
      });
      if (loaded) {
        for (const p of store.positions()) nextOffsets.set(`${p.topic}/${p.partition}`, p.nextOffset);
        log.info("replica loaded from the chain view", { replicaId: options.replicaId, ...loaded });
      }
    }
    await markKnownPositions();
  };

  const consume = (): Subscription =>
    options.subscriber.subscribe(
      {
        name: "replica feed",
        topics: followed,
        group: groupId,
        positions: { kind: "stored", next: (topic, partition) => nextOffsets.get(`${topic}/${partition}`) },
        ...(options.partitions ? { partitions: options.partitions } : {}),
        idleFetchMs,
        ...(followed.includes(options.chainView?.topic ?? "") ? { maxFetchBytes: CHAIN_VIEW_FETCH_BYTES } : {}),
        restartAfterSilentMs: options.restartAfterSilentMs ?? 15_000,
        partitionsConsumedConcurrently: PARTITIONS_APPLIED_TOGETHER,
        onFetch: () => {
          freshness.fetched(Date.now());
          announceCaughtUp();
        },
        onReceived: (topic, bytes) => options.metrics?.fetchedBytes.inc({ topic }, bytes),
        onState: (error) => {
          lastError = error;
          if (error === null && !stopped) state = "RUNNING";
        },
      },
      async (batch) => {
        const key = `${batch.topic}/${batch.partition}`;
        const received = batch.messages;
        const letters: DeadLetter[] = [];
        const messages: AppliedMessage[] = received.map((m) => {
          const o = toApplied(batch.topic, m.offset, m.value, m.key);
          if (!("rejected" in o)) return o;
          letters.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: o.offset,
            key: m.key,
            value: m.value,
            error: o.rejected,
            attempts: 1,
          });
          return { offset: o.offset, changes: null, occurredAt: null };
        });
        // Dead letters go out before the position moves past them; if Kafka refuses, the batch is retried.
        await deadLetter(letters);
        const started = performance.now();
        const result = await applyOrIsolate(batch.topic, batch.partition, messages, received);
        options.metrics?.applyDuration.observe((performance.now() - started) / 1000);
        options.metrics?.eventsApplied.inc({ topic: batch.topic, outcome: "applied" }, result.applied);
        options.metrics?.eventsApplied.inc({ topic: batch.topic, outcome: "ignored" }, result.ignored);
        const next = messages[messages.length - 1]!.offset + 1;
        nextOffsets.set(key, next);
        log.debug("batch applied", {
          topic: batch.topic,
          partition: batch.partition,
          applied: result.applied,
          ignored: result.ignored,
          traceIds: traceIdsOf(received),
        });
        freshness.applied(key, next, batch.highWatermark, Date.now());
        announceCaughtUp();
        options.metrics?.consumerLag.set(
          { topic: batch.topic, partition: String(batch.partition) },
          Math.max(0, batch.highWatermark - next),
        );
      },
    );

  const reconnectDelayMs = options.reconnectDelayMs ?? 2000;
  const start = async (): Promise<Subscription | undefined> => {
    while (!stopped) {
      try {
        await prepare();
        return stopped ? undefined : consume();
      } catch (err) {
        if (stopped) return undefined;
        lastError = err instanceof Error ? err.message : String(err);
        log.warn("replica feed cannot start yet; retrying", { error: lastError });
        await sleep(reconnectDelayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
    return undefined;
  };
  const subscription = start();

  return {
    freshness,
    status: () => ({ state, caughtUp: settled && freshness.caughtUp(), lagMs: freshness.lagMs(Date.now()), lastError }),
    stop: async () => {
      stopped = true;
      state = "STOPPED";
      stopping.abort();
      await (await subscription)?.stop();
    },
  };
};
