/** The agent's offline journal as `GET /v1/offline/journal` answers it (the fields `inventory journal` shows). */
export interface OfflineJournalStatus {
  readonly storeId: string;
  readonly queued: number;
  readonly refused: number;
  readonly oldestQueuedAgeMs: number | null;
  readonly replaying: boolean;
  readonly lastError: string | null;
}

const age = (ms: number): string =>
  ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`;

/** One line for the shop floor, e.g. "S7: 132 sales queued, oldest 14 min". */
export const offlineStatusView = (s: OfflineJournalStatus): string => {
  const parts = [
    s.queued === 0
      ? `${s.storeId}: no sales queued, everything has reached the hub`
      : `${s.storeId}: ${s.queued} ${s.queued === 1 ? "sale" : "sales"} queued, oldest ${age(s.oldestQueuedAgeMs ?? 0)}${s.replaying ? ", replaying now" : ""}`,
  ];
  if (s.refused > 0) parts.push(`${s.refused} refused by the hub and kept for an operator (--json lists them)`);
  if (s.queued > 0 && s.lastError) parts.push(`last attempt: ${s.lastError}`);
  return parts.join("; ");
};
