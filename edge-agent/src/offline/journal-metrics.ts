import { Counter, Gauge } from "prom-client";
import type { Metrics } from "@inventory/platform";

/** The journal's gauges and counters on the agent's /metrics; the gauges are read at each scrape. */
export const journalMetrics = (metrics: Metrics) => {
  const registers = [metrics.registry];
  const queued = new Gauge({
    name: "inventory_offline_journal_queued",
    help: "Offline sales journaled and not yet replayed to the hub",
    registers,
  });
  const oldestAge = new Gauge({
    name: "inventory_offline_journal_oldest_age_seconds",
    help: "Age of the oldest offline sale not yet replayed (0 when none)",
    registers,
  });
  const refused = new Gauge({
    name: "inventory_offline_journal_refused",
    help: "Offline sales the hub refused, kept in the journal for an operator",
    registers,
  });
  const settled = new Counter({
    name: "inventory_offline_replays_total",
    help: "Journaled offline sales replayed, by outcome",
    labelNames: ["outcome"],
    registers,
  });
  return {
    observe(status: { queued: number; refused: number; oldestQueuedAgeMs: number | null }) {
      queued.set(status.queued);
      refused.set(status.refused);
      oldestAge.set((status.oldestQueuedAgeMs ?? 0) / 1000);
    },
    settled: (outcome: string) => settled.inc({ outcome }),
  };
};
