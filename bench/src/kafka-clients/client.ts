/** One event as the relay publishes it: key `store:sku`, a JSON envelope as the value, the relay's headers. */
export interface BenchMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A message as a consumer hands it over: raw bytes, as the replica feed reads them. */
export interface ReceivedMessage {
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** Publishes like the relay: one batch at a time, resolving once every message is acknowledged by all replicas. */
export interface BenchProducer {
  send(messages: readonly BenchMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface BenchConsumer {
  stop(): Promise<void>;
}

export interface ConsumeOptions {
  readonly topic: string;
  /** A fresh group per run, read from the earliest offset, as a new replica does. */
  readonly groupId: string;
  readonly onMessage: (message: ReceivedMessage) => void;
  /** Called with any error the client reports while consuming. */
  readonly onError: (error: unknown) => void;
}

/** The same two roles, relay producer and replica consumer, implemented by each Kafka client under test. */
export interface KafkaClient {
  readonly name: string;
  readonly version: string;
  /** A producer connected and ready to publish to `topic`. */
  producer(topic: string): Promise<BenchProducer>;
  /** Resolves once the consumer has asked to join its group; the first messages may come later. */
  consume(options: ConsumeOptions): Promise<BenchConsumer>;
}

/** Consumer settings both clients get, taken from the replica feed. */
export const CONSUMER_SETTINGS = {
  /** How long the broker holds an idle fetch open (the replica feed's `idleFetchMs`). */
  maxWaitMs: 500,
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  maxBytes: 10 * 1024 * 1024,
  maxBytesPerPartition: 1024 * 1024,
} as const;

/** Producer settings both clients get, taken from the relay. */
export const PRODUCER_SETTINGS = {
  sendTimeoutMs: 10_000,
  retries: 3,
} as const;
