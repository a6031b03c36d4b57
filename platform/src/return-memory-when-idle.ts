import { performance } from "node:perf_hooks";
import type { Logger } from "./http/logger.js";
import { returnMemoryToSystem } from "./release-memory.js";

export interface IdleMemoryPolicy {
  /** How often the process looks at itself. */
  readonly everyMs: number;
  /** The event loop's utilisation over the last look below which the process counts as idle. */
  readonly idleBelow: number;
  /** How far RSS must have grown above its lowest since the last return for one to be worth its pause. */
  readonly growthBytes: number;
}

/** Every 10 s; idle under 10 % busy; grown by 64 MB. */
export const DEFAULT_IDLE_MEMORY_POLICY: IdleMemoryPolicy = { everyMs: 10_000, idleBelow: 0.1, growthBytes: 64 * 1_048_576 };

export interface MemoryLook {
  /** The event loop's utilisation since the last look, 0 to 1. */
  readonly utilization: number;
  readonly rssBytes: number;
  /** The lowest RSS seen since the last return (or the start). */
  readonly lowestBytes: number;
}

/** Whether to return memory now: the process was idle over the last look and has grown by the policy's amount. */
export const shouldReturnMemory = (policy: IdleMemoryPolicy, look: MemoryLook): boolean =>
  look.utilization < policy.idleBelow && look.rssBytes - look.lowestBytes >= policy.growthBytes;

export interface MemoryReturned {
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  /** How long the collection paused the process. */
  readonly ms: number;
}

export interface ReturnMemoryWhenIdleOptions {
  readonly policy?: IdleMemoryPolicy;
  /** What gives the memory back; `returnMemoryToSystem` unless a test says otherwise. */
  readonly release?: () => void;
  /** Told of each return; without it, each is logged to `log`. */
  readonly onReturned?: (returned: MemoryReturned) => void;
  readonly log?: Logger;
}

const MB = 1_048_576;

/**
 * Gives the system back what a burst grew once the process has gone quiet. V8 keeps the heap a burst grew (a
 * store's 10,000-line recount took a hub from about 200 to 440 MB, 1,113 resident 256 KB heap pages for a 180 MB
 * heap of which 61 MB was used) through later quiet minutes, until a memory-reducing collection, which pauses for
 * about 100 ms: too long while the process is busy, nothing while it is idle. Stopped by `stop`.
 */
export const returnMemoryWhenIdle = (options: ReturnMemoryWhenIdleOptions = {}): { stop(): void } => {
  const { policy = DEFAULT_IDLE_MEMORY_POLICY, release = returnMemoryToSystem, log } = options;
  const onReturned =
    options.onReturned ??
    ((r: MemoryReturned) =>
      log?.info("memory returned to the system while idle", {
        rssBeforeMb: Math.round(r.rssBeforeBytes / MB),
        rssAfterMb: Math.round(r.rssAfterBytes / MB),
        ms: r.ms,
        traceId: "memory",
      }));
  let lowest = process.memoryUsage.rss();
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    const rssBytes = process.memoryUsage.rss();
    if (shouldReturnMemory(policy, { utilization, rssBytes, lowestBytes: lowest })) {
      const started = performance.now();
      release();
      lowest = process.memoryUsage.rss();
      onReturned({ rssBeforeBytes: rssBytes, rssAfterBytes: lowest, ms: Math.round(performance.now() - started) });
      // The collection's own pause is not the process's work.
      last = performance.eventLoopUtilization();
    } else lowest = Math.min(lowest, rssBytes);
  }, policy.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
