import { existsSync, renameSync, rmSync } from "node:fs";
import { openReplicaStore, type ReplicaStore } from "./replica-store.js";
import { startReplicaFeed, type ReplicaFeed, type ReplicaFeedOptions, type ReplicaFeedStatus } from "./replica-feed.js";
import type { Freshness } from "./freshness.js";
import type { DeadLetterSink, MessageSubscriber } from "@inventory/platform";
import type { Metrics } from "@inventory/platform";
import type { Logger } from "@inventory/platform";

export interface ReplicaHandleOptions {
  readonly path: string;
  /** The broker (`createKafkaSubscriber` in production). */
  readonly subscriber: MessageSubscriber;
  readonly topics: readonly string[];
  readonly replicaId: string;
  readonly log: Logger;
  readonly deadLetters?: DeadLetterSink;
  readonly metrics?: Metrics;
  /** Called once when the replica this process serves first catches up (see `ReplicaFeedOptions.onCaughtUp`). */
  readonly onCaughtUp?: () => void;
  /** See `ReplicaFeedOptions.releaseMemory`; given to every feed, a rebuild's too. */
  readonly releaseMemory?: () => void;
  /** See `ReplicaFeedOptions.partitions`. */
  readonly partitions?: ReplicaFeedOptions["partitions"];
  /** See `ReplicaFeedOptions.chainView`; with it, `exactStoreId` names the one store whose rows come from its events. */
  readonly chainView?: ReplicaFeedOptions["chainView"] & { readonly exactStoreId?: string };
}

export interface RebuildStatus {
  readonly state: "IDLE" | "REBUILDING" | "FAILED";
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly lastError: string | null;
}

/**
 * The replica a process serves from, and its feed. A rebuild replays every topic from offset zero into a
 * new file while the current replica keeps serving; once the new one has caught up it replaces the old
 * one in a single synchronous step, so no read ever sees a half-built replica.
 */
export const openReplicaHandle = (options: ReplicaHandleOptions) => {
  const feedFor = (store: ReplicaStore, replicaId: string, deadLetters?: DeadLetterSink, onCaughtUp?: () => void): ReplicaFeed =>
    startReplicaFeed({
      subscriber: options.subscriber,
      store,
      topics: options.topics,
      replicaId,
      log: options.log,
      ...(deadLetters ? { deadLetters } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(onCaughtUp ? { onCaughtUp } : {}),
      ...(options.releaseMemory ? { releaseMemory: options.releaseMemory } : {}),
      ...(options.partitions ? { partitions: options.partitions } : {}),
      ...(options.chainView ? { chainView: options.chainView } : {}),
    });
  let store = openReplicaStore(options.path);
  let feed = feedFor(store, options.replicaId, options.deadLetters, options.onCaughtUp);
  let rebuild: RebuildStatus = { state: "IDLE", startedAt: null, finishedAt: null, lastError: null };
  const files = (path: string) => [path, `${path}-wal`, `${path}-shm`];

  const runRebuild = async () => {
    const next = `${options.path}.rebuild`;
    for (const f of files(next)) rmSync(f, { force: true });
    const fresh = openReplicaStore(next);
    // Messages the live replica dead-lettered are already on the list; the rebuild only logs them.
    const freshFeed = feedFor(fresh, `${options.replicaId}-rebuild`);
    try {
      for (;;) {
        await new Promise((r) => setTimeout(r, 200));
        const status = freshFeed.status();
        if (status.caughtUp && status.lagMs === 0) break;
      }
    } finally {
      await freshFeed.stop();
    }
    await feed.stop();
    fresh.close();
    store.close();
    for (const f of files(options.path).slice(1)) rmSync(f, { force: true });
    renameSync(next, options.path);
    for (const f of files(next).slice(1)) if (existsSync(f)) rmSync(f, { force: true });
    store = openReplicaStore(options.path);
    feed = feedFor(store, options.replicaId, options.deadLetters, options.onCaughtUp);
  };

  return {
    store: (): ReplicaStore => store,
    freshness: (): Freshness => feed.freshness,
    /** The store whose rows are exact here, when the rest of the chain comes from the coalesced chain view. */
    exactStoreId: options.chainView?.exactStoreId,
    status: (): ReplicaFeedStatus & { rebuild: RebuildStatus } => ({ ...feed.status(), rebuild }),
    /** Starts a rebuild unless one is running; answers with its status. */
    rebuild: (): RebuildStatus => {
      if (rebuild.state === "REBUILDING") return rebuild;
      rebuild = { state: "REBUILDING", startedAt: new Date().toISOString(), finishedAt: null, lastError: null };
      void runRebuild().then(
        () => {
          rebuild = { ...rebuild, state: "IDLE", finishedAt: new Date().toISOString() };
          options.log.info("replica rebuilt", { replicaId: options.replicaId });
        },
        (err: unknown) => {
          rebuild = { ...rebuild, state: "FAILED", finishedAt: new Date().toISOString(), lastError: String(err) };
          options.log.error("replica rebuild failed", { replicaId: options.replicaId, err });
        },
      );
      return rebuild;
    },
    close: async () => {
      await feed.stop();
      store.close();
    },
  };
};

export type ReplicaHandle = ReturnType<typeof openReplicaHandle>;
