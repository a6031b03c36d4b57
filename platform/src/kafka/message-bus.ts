/**
 * The event backbone as the product uses it: publish a batch in order, and subscribe to topics from chosen
 * positions with a handler per batch. kafkajs (`kafkajs-publisher.ts`, `kafkajs-subscriber.ts`) and memory
 * (`in-memory-message-bus.ts`, for unit tests) implement it.
 */

export interface OutgoingMessage {
  readonly topic: string;
  /** Chooses the partition (store-affine: its store part). */
  readonly key: string;
  /** Text, or bytes sent as they are (a dead letter replayed); null only for a message that never had any. */
  readonly value: string | Buffer | null;
  readonly headers: Record<string, string>;
}

/**
 * Publishes in order and resolves only when every message is acknowledged; rejects otherwise (a
 * `PublishFailure` says whether Kafka refused a message for good, see `publish-failure.ts`). A rejected
 * publish may have stored part of the batch: callers resend it whole (at-least-once).
 */
export interface MessagePublisher {
  publish(batch: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumedMessage {
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/** Messages of one partition, in offset order; never none. */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
  /** The partition's end (next offset to be written) when the batch was fetched. */
  readonly highWatermark: number;
}

export interface BatchContext {
  /**
   * Marks the batch handled up to and including `offset`. With group positions that is committed to the
   * group, so a handler that fails part-way keeps what it finished. A handler that returns has handled it all.
   */
  handled(offset: number): Promise<void>;
  /** Keeps the subscription's place in its group during a long handler. */
  heartbeat(): Promise<void>;
}

/**
 * A handler that throws gets the batch again (from its first message not marked handled). Messages below a
 * `stored` position never reach it, so a redelivery is never handled twice.
 */
export type BatchHandler = (batch: ConsumedBatch, context: BatchContext) => Promise<void>;

/**
 * Where each partition starts, every time the subscription (re)joins.
 * - `stored`: the subscriber keeps its own positions (e.g. in its SQLite file, committed with its rows);
 *   `next` answers the partition's next offset, or undefined to start from its beginning (with
 *   `unknownFrom: "end"`, from its end as of joining). Nothing is committed to the broker; the group only names
 *   the subscriber, so one stable name serves every run.
 * - `group`: the group's committed offsets (a new group's from the beginning); each handled batch is
 *   committed, so several processes sharing the group share the work and take over each other's partitions.
 */
export type StartPositions =
  | {
      readonly kind: "stored";
      readonly next: (topic: string, partition: number) => number | undefined;
      readonly unknownFrom?: "beginning" | "end";
    }
  | { readonly kind: "group" };

/** Which partitions of a topic of `partitionCount` partitions a subscription reads. */
export type PartitionChoice = (topic: string, partitionCount: number) => number[];

export interface SubscribeRequest {
  /** Names the subscription in logs, e.g. `replica feed`. */
  readonly name: string;
  readonly topics: readonly string[];
  /** The consumer group. */
  readonly group: string;
  readonly positions: StartPositions;
  /**
   * Only these partitions of each topic, given to every member of the group alike instead of shared among them
   * (a store's agent reads the partitions that carry its store). Every partition, shared, without it.
   */
  readonly partitions?: PartitionChoice;
  /** How long the broker holds an idle fetch open; bounds how soon a cut-off subscriber notices. Default: the adapter's. */
  readonly idleFetchMs?: number;
  /**
   * A subscription that has completed no fetch for this long is restarted. Only for handlers that never wait
   * long. Default: the adapter's.
   */
  readonly restartAfterSilentMs?: number;
  /**
   * Most bytes one fetch brings, as stored on the broker (compressed batches count compressed): what a
   * subscriber holds decoded at once grows with it, and by the compression ratio. Default: the adapter's
   * (kafkajs: 10 MB a fetch, 1 MB a partition).
   */
  readonly maxFetchBytes?: number;
  /**
   * The broker holds a fetch until it has this many bytes for it or `idleFetchMs` has passed: fewer, larger
   * fetches, for a subscriber that need not see each message at once. Default 1 (answer as soon as anything is there).
   */
  readonly minFetchBytes?: number;
  /** How long the group waits for a silent member before giving its partitions to others. Default 6000 (the broker's smallest). */
  readonly sessionTimeoutMs?: number;
  /** Partitions whose batches may be handled at the same time. Default 1. */
  readonly partitionsConsumedConcurrently?: number;
  /** Called after every fetch from the broker, empty ones included (an idle fetch completes every `idleFetchMs`). */
  readonly onFetch?: () => void;
  /**
   * Called for every batch received, before messages below `stored` positions are dropped, with the bytes of its
   * records' keys, values and headers.
   */
  readonly onReceived?: (topic: string, bytes: number) => void;
  /** Called with why the subscription is down each time it goes down, and with null once it runs. */
  readonly onState?: (error: string | null) => void;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface MessageSubscriber {
  /** Starts in the background and keeps retrying while the broker is away; `onState` says how it goes. */
  subscribe(request: SubscribeRequest, handler: BatchHandler): Subscription;
  /** Each partition's end (next offset to be written) of a topic. */
  endOffsets(topic: string): Promise<Map<number, number>>;
}
