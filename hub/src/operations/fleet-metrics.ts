import { Gauge, type Registry } from "prom-client";
import { REPORT_STALE_MS, type AgentReport, type AgentReports } from "./operations-routes.js";

const STATES = ["STARTING", "RUNNING", "REBUILDING", "STOPPED", "UNREACHABLE"] as const;

/**
 * What the agents report, as Prometheus gauges per store, so that one scrape of the hub covers the fleet:
 * lag, seconds since the last report, and the state (one series per state, 1 for the current one).
 */
export const registerFleetMetrics = (registry: Registry, reports: AgentReports, now: () => number = Date.now) => {
  const each = (set: (storeId: string, report: AgentReport, at: number) => void) => {
    const at = now();
    for (const report of reports.values()) set(report.storeId, report, at);
  };
  new Gauge({
    name: "inventory_fleet_agent_lag_ms",
    help: "Projection lag each store's agent last reported",
    labelNames: ["store"],
    registers: [registry],
    collect() {
      this.reset();
      each((store, r) => this.set({ store }, r.lagMs));
    },
  });
  new Gauge({
    name: "inventory_fleet_agent_report_age_seconds",
    help: "Seconds since each store's agent last reported",
    labelNames: ["store"],
    registers: [registry],
    collect() {
      this.reset();
      each((store, r, at) => this.set({ store }, (at - r.reportedAt) / 1000));
    },
  });
  new Gauge({
    name: "inventory_fleet_agent_breaker_open",
    help: "1 while a store's agent reports its circuit breaker towards the hub open (its writes answer 503 at once)",
    labelNames: ["store"],
    registers: [registry],
    collect() {
      this.reset();
      each((store, r) => r.breaker !== undefined && this.set({ store }, r.breaker === "OPEN" ? 1 : 0));
    },
  });
  new Gauge({
    name: "inventory_fleet_agent_state",
    help: `Each store's agent state: 1 for the current one (UNREACHABLE after ${REPORT_STALE_MS / 1000} s without a report)`,
    labelNames: ["store", "state"],
    registers: [registry],
    collect() {
      this.reset();
      each((store, r, at) => {
        const current = at - r.reportedAt > REPORT_STALE_MS ? "UNREACHABLE" : r.state;
        for (const state of new Set([...STATES, current])) this.set({ store, state }, state === current ? 1 : 0);
      });
    },
  });
};
