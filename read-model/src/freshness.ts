/**
 * How stale a replica is. The replica is "fresh as of" the last moment a fetch showed it holding every
 * message Kafka had. Lag is the time since then, less one idle-fetch interval: 0 while caught up,
 * growing steadily while the replica is cut off from new events.
 */
export interface Freshness {
  /** A fetch returned; the replica is fresh as of `now` when no known partition has messages left to apply. */
  fetched(now: number): void;
  /** A partition's batch was applied up to `nextOffset`; Kafka's log ends at `highWatermark`. */
  applied(partition: string, nextOffset: number, highWatermark: number, now: number): void;
  /** Sets what is known of a partition before any batch arrives, e.g. from stored positions. */
  known(partition: string, nextOffset: number, highWatermark: number): void;
  lagMs(now: number): number;
  caughtUp(): boolean;
  freshAsOf(): number | null;
}

export const createFreshness = (options: { idleFetchMs: number; startedAt: number }): Freshness => {
  const partitions = new Map<string, { next: number; end: number }>();
  let freshAsOf: number | null = null;
  let everCaughtUp = false;
  const pending = () => [...partitions.values()].some((p) => p.next < p.end);
  const markIfCaughtUp = (now: number) => {
    if (partitions.size > 0 && !pending()) {
      freshAsOf = now;
      everCaughtUp = true;
    }
  };
  return {
    fetched: (now) => markIfCaughtUp(now),
    applied: (partition, next, end, now) => {
      partitions.set(partition, { next, end: Math.max(end, next) });
      markIfCaughtUp(now);
    },
    known: (partition, next, end) => {
      const current = partitions.get(partition);
      partitions.set(partition, { next: Math.max(next, current?.next ?? 0), end: Math.max(end, current?.end ?? 0) });
    },
    lagMs: (now) => Math.max(0, Math.round(now - (freshAsOf ?? options.startedAt) - options.idleFetchMs)),
    caughtUp: () => everCaughtUp && !pending(),
    freshAsOf: () => freshAsOf,
  };
};
