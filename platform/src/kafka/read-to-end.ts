import type { ConsumedBatch, MessageSubscriber, PartitionChoice, Subscription } from "./message-bus.js";

export interface ReadToEndRequest {
  /** Names the read in logs, e.g. `chain view load`. */
  readonly name: string;
  readonly topic: string;
  /** The consumer group; nothing is committed to it. */
  readonly group: string;
  /** The partitions read. Every partition without it. */
  readonly partitions?: PartitionChoice;
  readonly idleFetchMs?: number;
  /** See `SubscribeRequest.maxFetchBytes`. */
  readonly maxFetchBytes?: number;
  /** Longest the read may take before it is given up. Default 15000. */
  readonly timeoutMs?: number;
  /** Ends the read early; it then rejects. */
  readonly signal?: AbortSignal;
  readonly onState?: (error: string | null) => void;
}

/** A read that did not reach the end: the broker was away too long, or the read was stopped. Recognised by shape. */
export interface ReadToEndFailure extends Error {
  readonly code: "READ_TO_END_FAILED";
}

const readFailure = (message: string): ReadToEndFailure => Object.assign(new Error(message), { code: "READ_TO_END_FAILED" as const });

export const isReadToEndFailure = (err: unknown): err is ReadToEndFailure =>
  err instanceof Error && (err as Partial<ReadToEndFailure>).code === "READ_TO_END_FAILED";

const everyPartition: PartitionChoice = (_topic, count) => Array.from({ length: count }, (_, p) => p);

/**
 * Reads a topic from its beginning up to the end each chosen partition had when the read began. `handle` gets
 * every batch in offset order, once (a rejoin resumes after the last batch handled), and may get records past
 * the partition's `end`, which the batch's own end decides. Resolves with the topic's ends once every chosen
 * partition has been handled up to its end; rejects with a `ReadToEndFailure` when it does not in time.
 */
export const readToEnd = async (
  subscriber: MessageSubscriber,
  request: ReadToEndRequest,
  handle: (batch: ConsumedBatch, end: number) => Promise<void>,
): Promise<Map<number, number>> => {
  const ends = await subscriber.endOffsets(request.topic);
  const partitions = request.partitions ?? everyPartition;
  const chosen = new Set(partitions(request.topic, ends.size));
  const remaining = new Set([...ends].filter(([p, end]) => chosen.has(p) && end > 0).map(([p]) => p));
  if (remaining.size === 0) return ends;
  const next = new Map<number, number>();
  let lastError: string | null = null;
  let subscription: Subscription | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(readFailure(`${request.topic} not read to its end in time${lastError === null ? "" : ` (${lastError})`}`)),
        request.timeoutMs ?? 15_000,
      );
      const abort = () => finish(readFailure(`stopped while reading ${request.topic}`));
      const finish = (err?: Error) => {
        clearTimeout(timer);
        request.signal?.removeEventListener("abort", abort);
        if (err) reject(err);
        else resolve();
      };
      if (request.signal?.aborted) return abort();
      request.signal?.addEventListener("abort", abort, { once: true });
      subscription = subscriber.subscribe(
        {
          name: request.name,
          topics: [request.topic],
          group: request.group,
          positions: { kind: "stored", next: (_topic, partition) => next.get(partition) },
          partitions,
          ...(request.idleFetchMs === undefined ? {} : { idleFetchMs: request.idleFetchMs }),
          ...(request.maxFetchBytes === undefined ? {} : { maxFetchBytes: request.maxFetchBytes }),
          onState: (error) => {
            if (error !== null) lastError = error;
            request.onState?.(error);
          },
        },
        async (batch) => {
          const end = ends.get(batch.partition) ?? 0;
          await handle(batch, end);
          const after = batch.messages[batch.messages.length - 1]!.offset + 1;
          next.set(batch.partition, after);
          if (after >= end) remaining.delete(batch.partition);
          if (remaining.size === 0) finish();
        },
      );
    });
  } finally {
    await subscription?.stop();
  }
  return ends;
};
