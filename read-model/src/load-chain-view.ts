import {
  CHAIN_VIEW_KEYS,
  chainViewPositionSchema,
  decodeChainViewItem,
  type ChainViewItem,
  type ChainViewPosition,
} from "@inventory/shared";
import { pushStagedRow, type AppliedMessage, type ReplicaStore } from "./replica-store.js";
import { readToEnd, type MessageSubscriber, type PartitionChoice } from "@inventory/platform";

export interface LoadChainViewOptions {
  readonly subscriber: MessageSubscriber;
  readonly store: ReplicaStore;
  /** The chain view's topic on the broker. */
  readonly topic: string;
  /** The broker event topics the replica follows. */
  readonly eventTopics: readonly string[];
  readonly logicalTopic: (brokerTopic: string) => string;
  /** The event topics continued from the view's offsets; the others start at 0. */
  readonly continues: (brokerTopic: string) => boolean;
  readonly partitions: PartitionChoice;
  /** The replica's own group: loading adds no group to the broker. */
  readonly groupId: string;
  readonly idleFetchMs: number;
  readonly toApplied: (offset: number, value: Buffer | null, key: Buffer | null) => AppliedMessage | { offset: number; rejected: string };
  /** Called every `LOAD_RELEASE_EVERY_RECORDS` records staged, between batches. */
  readonly releaseMemory?: () => void;
  /** Ends the load early (it then rejects). */
  readonly signal?: AbortSignal;
  readonly onState?: (error: string | null) => void;
  /** Longest the load may take before it is given up and tried again. Default 120000. */
  readonly timeoutMs?: number;
}

export interface ChainViewLoaded {
  readonly records: number;
  readonly ms: number;
  /** Of `ms`, the merge of the staged rows into the replica (`ReplicaStore.mergeStaged`). */
  readonly mergeMs: number;
  /** The view's log position the event partitions continue from. */
  readonly logPosition: number;
}

/**
 * The chain view's batches are gzip and its records tiny, so a fetch's bytes decode to many records, each a few
 * objects on the heap: kafkajs's 10 MB fetch held some 700,000 at once (1.5 GB of RSS loading 1,000,000 items),
 * 2 MB still about 150 MB of heap. With rows staged and the collections below, 128 KB loaded 1,000,000 items in
 * 7.7 s at 250 MB RSS, 256 KB in 8.3 s at 287 MB, 64 KB in 8.9 s at 243 MB (`figures.fleet`, one run each).
 */
export const CHAIN_VIEW_FETCH_BYTES = 128 * 1024;

/**
 * A fetch's records outlive the young generation's collections while their batch is staged, so a load promotes
 * most of what it decodes, and V8 grew the old generation to ~300 MB before collecting it, memory it then kept:
 * an agent that loaded 1,000,000 items was ~400 MB RSS at ready. A full collection this often keeps the heap small
 * (287 MB at ready, same speed); every 25,000 records, 226 MB but 17 % slower.
 */
export const LOAD_RELEASE_EVERY_RECORDS = 100_000;

/** Only the position records are parsed for their position: the rest are items, parsed once, to be applied. */
const POSITION_KEY = Buffer.from(CHAIN_VIEW_KEYS.position);

/**
 * The item a compact item record names, its key read straight from its bytes (keys are identifiers: ASCII), or
 * undefined for any other record, which then takes the general path (`toApplied`).
 */
const compactItemOf = (key: Buffer | null, value: Buffer | null): ChainViewItem | undefined =>
  key === null ? undefined : decodeChainViewItem(key.toString("latin1"), value);

const positionOf = (value: Buffer | null): ChainViewPosition | undefined => {
  if (value === null) return undefined;
  try {
    const parsed = chainViewPositionSchema.safeParse(JSON.parse(value.toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Loads a replica that holds no event position yet (a new agent, a wiped file, a rebuild) from the chain view
 * instead of the event history: reads the compacted topic up to the end it had when the load began, staging
 * each batch with its position (one SQLite transaction a batch; stock rows merged into the replica in one sorted
 * pass at the end), and remembers the latest position record below that end. Every record published before that
 * position record is below the end too, so the replica then holds every change the position covers, and each
 * event partition is set to continue from the offset the record names for it: nothing is missed, and events the
 * view already holds are older versions, ignored. Without a position record on the view (the hub has not
 * completed a flush) nothing is loaded and the events are read from their start. Answers undefined when there
 * was nothing to load.
 */
export const loadChainView = async (options: LoadChainViewOptions): Promise<ChainViewLoaded | undefined> => {
  const { store } = options;
  const eventTopics = new Set(options.eventTopics);
  if (store.positions().some((p) => eventTopics.has(p.topic))) return undefined;
  const started = Date.now();
  const eventPartitions = await Promise.all(
    options.eventTopics.map(async (topic) => ({ topic, count: (await options.subscriber.endOffsets(topic)).size })),
  );
  let latest: ChainViewPosition | undefined;
  let records = 0;
  store.clearStaged();
  // Every partition of the view, to every member of the replica's group: a process restarted after a crash
  // need not wait for its dead predecessor's share.
  await readToEnd(
    options.subscriber,
    {
      name: "chain view load",
      topic: options.topic,
      group: options.groupId,
      partitions: (_topic, count) => Array.from({ length: count }, (_, p) => p),
      idleFetchMs: options.idleFetchMs,
      maxFetchBytes: CHAIN_VIEW_FETCH_BYTES,
      timeoutMs: options.timeoutMs ?? 120_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onState ? { onState: options.onState } : {}),
    },
    async (batch, end) => {
      const messages: AppliedMessage[] = [];
      const rows: (string | number)[] = [];
      let lastEventAt: string | null = null;
      for (const m of batch.messages) {
        const item = compactItemOf(m.key, m.value);
        if (item !== undefined) {
          pushStagedRow(rows, item);
          lastEventAt = item.lastEventAt;
          continue;
        }
        if (m.offset < end && m.key !== null && POSITION_KEY.equals(m.key)) {
          const position = positionOf(m.value);
          if (position && (latest === undefined || position.logPosition >= latest.logPosition)) latest = position;
        }
        const applied = options.toApplied(m.offset, m.value, m.key);
        const message = "rejected" in applied ? { offset: m.offset, changes: null, occurredAt: null } : applied;
        messages.push(message);
        lastEventAt = message.occurredAt ?? lastEventAt;
      }
      const nextOffset = batch.messages[batch.messages.length - 1]!.offset + 1;
      store.stageBatch(options.topic, batch.partition, { messages, rows, nextOffset, lastEventAt });
      const before = records;
      records += batch.messages.length;
      if (Math.floor(records / LOAD_RELEASE_EVERY_RECORDS) > Math.floor(before / LOAD_RELEASE_EVERY_RECORDS)) options.releaseMemory?.();
    },
  );
  const merging = Date.now();
  store.mergeStaged();
  const mergeMs = Date.now() - merging;
  if (latest === undefined) return undefined;
  const offsets = latest.eventOffsets;
  store.seedPositions(
    eventPartitions.flatMap(({ topic, count }) =>
      options.partitions(topic, count).map((partition) => ({
        topic,
        partition,
        nextOffset: options.continues(topic) ? (offsets[options.logicalTopic(topic)]?.[partition] ?? 0) : 0,
      })),
    ),
  );
  return { records, ms: Date.now() - started, mergeMs, logPosition: latest.logPosition };
};
