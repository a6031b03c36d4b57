import type { FleetStatus, ProjectionStatus } from "../../api/hub-types.js";

export interface FleetRow {
  readonly projection: string;
  readonly storeId: string;
  readonly state: string;
  readonly lagMs: number;
  readonly secondsSinceReport: number | null;
  /** Events the hub's replica has read that this one has not (summed over partitions). */
  readonly behindHub: number | null;
  readonly breaker: string | null;
  /** Offline sales waiting at the agent for the hub (null: the agent does not journal them). */
  readonly offlineQueued: number | null;
  readonly lastError: string | null;
  readonly source: ProjectionStatus;
}

const positions = (p: ProjectionStatus) =>
  new Map(p.partitions.map((x) => [`${x.topic.split(".").slice(-2).join(".")}#${x.partition}`, x.nextOffset]));

/** One row per replica, the hub's first, with each agent's position measured against the hub's. */
export const fleetRows = (status: FleetStatus, now: number): FleetRow[] => {
  const hub = status.projections[0];
  const hubPositions = hub ? positions(hub) : new Map<string, number>();
  return status.projections.map((p, i) => {
    const own = positions(p);
    let behind = 0;
    for (const [key, offset] of hubPositions) behind += Math.max(0, offset - (own.get(key) ?? 0));
    return {
      projection: p.projection,
      storeId: p.storeId ?? (i === 0 ? "(hub)" : "-"),
      state: p.state,
      lagMs: p.lagMs,
      secondsSinceReport: p.reportedAt ? Math.max(0, Math.round((now - Date.parse(p.reportedAt)) / 1000)) : null,
      behindHub: i === 0 ? 0 : behind,
      breaker: p.breaker ?? null,
      offlineQueued: p.offline ? p.offline.queued : null,
      lastError: p.lastError,
      source: p,
    };
  });
};

export type SortKey = "storeId" | "state" | "lagMs" | "secondsSinceReport" | "behindHub" | "breaker" | "offlineQueued";

export const sortRows = (rows: FleetRow[], key: SortKey, descending: boolean) => {
  const sorted = [...rows].sort((a, b) => {
    const x = a[key] ?? -1;
    const y = b[key] ?? -1;
    return x < y ? -1 : x > y ? 1 : a.projection < b.projection ? -1 : 1;
  });
  return descending ? sorted.reverse() : sorted;
};
