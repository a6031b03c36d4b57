import type { ReplicaHandle } from "@inventory/read-model";
import type { Logger } from "@inventory/platform";

export interface StatusReporterOptions {
  readonly hubUrl: string;
  /** The agent's own credential (role `agent`, its store): never a caller's token. */
  readonly token: string;
  readonly storeId: string;
  readonly projection: string;
  readonly replica: ReplicaHandle;
  readonly intervalMs: number;
  readonly log: Logger;
  /** The agent's circuit breaker towards the hub, shown on the operators' fleet page. */
  readonly breakerState?: () => string;
  /** The offline journal's counts and replay progress, when OFFLINE_SALES is on. */
  readonly offline?: () => {
    queued: number;
    refused: number;
    oldestQueuedAt: string | null;
    replaying: boolean;
    lastReplayAt: string | null;
  };
}

const pickOffline = (s: ReturnType<NonNullable<StatusReporterOptions["offline"]>>) => ({
  queued: s.queued,
  refused: s.refused,
  oldestQueuedAt: s.oldestQueuedAt,
  replaying: s.replaying,
  lastReplayAt: s.lastReplayAt,
});

/** Tells the hub how this store's replica is doing, so operators see every projection in one place. */
export const startStatusReporter = (options: StatusReporterOptions) => {
  let failing = false;
  const report = async () => {
    const status = options.replica.status();
    const partitions = options.replica.store().positions();
    const res = await fetch(new URL("/v1/projections/report", options.hubUrl), {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${options.token}` },
      body: JSON.stringify({
        projection: options.projection,
        storeId: options.storeId,
        state: status.rebuild.state === "REBUILDING" ? "REBUILDING" : status.state,
        lagMs: status.lagMs,
        caughtUp: status.caughtUp,
        lastError: status.lastError,
        eventsApplied: partitions.reduce((sum, p) => sum + p.eventsApplied, 0),
        rebuild: status.rebuild,
        partitions,
        ...(options.breakerState ? { breaker: options.breakerState() } : {}),
        ...(options.offline ? { offline: pickOffline(options.offline()) } : {}),
      }),
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) throw new Error(`hub answered ${res.status}`);
  };
  const timer = setInterval(() => {
    report().then(
      () => {
        if (failing) options.log.info("status reports reach the hub again");
        failing = false;
      },
      (err: unknown) => {
        if (!failing) options.log.warn("status report not delivered; will keep trying", { error: String(err) });
        failing = true;
      },
    );
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
