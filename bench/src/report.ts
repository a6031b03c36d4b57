import { SETTLE_MS } from "./figures/rebuild.js";
/** The issue's goals, checked against the figures; a missing figure is "not run". */
export interface GoalRow {
  readonly figure: string;
  readonly measured: string;
  readonly goal: string;
  readonly met: boolean | null;
}

const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : NaN);
const fmt = (v: unknown, digits = 0) => (Number.isNaN(n(v)) ? "–" : n(v).toLocaleString("en-US", { maximumFractionDigits: digits }));
const range = (s: any, digits = 0) => (s ? ` (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : "");

export const goalRows = (f: Record<string, any>): GoalRow[] => {
  const rows: GoalRow[] = [];
  const s = f.spreadWrites;
  rows.push(
    s
      ? {
          figure: "spread writes",
          measured: `${fmt(s.value)}/s${range(s.valueSpread)} vs pgbench ${fmt(s.ceiling)}/s${range(s.ceilingSpread)} = **${s.ratio}×**; p50 ${fmt(s.p50Ms, 1)} ms, p99 ${fmt(s.p99Ms, 1)} ms at ${fmt(s.latencyRatePerSec)}/s${(s.latencyAtLowerRates ?? []).map((c: any) => `; ${fmt(c.p50Ms, 1)}/${fmt(c.p99Ms, 1)} ms at ${fmt(c.ratePerSec)}/s`).join("")}`,
          goal: "≥ 2.0× pgbench; p99 ≤ 25 ms",
          met: s.ratio >= 2 && s.p99Ms <= 25,
        }
      : { figure: "spread writes", measured: "not run", goal: "≥ 2.0× pgbench; p99 ≤ 25 ms", met: null },
  );
  const h = f.hotSku;
  rows.push(
    h
      ? {
          figure: "hot SKU",
          measured: `${fmt(h.value)}/s${range(h.valueSpread)} vs pgbench hot row ${fmt(h.ceiling)}/s${range(h.ceilingSpread)} = **${h.ratio}×**; p99 ${fmt(h.p99Ms, 1)} ms at ${fmt(h.latencyRatePerSec)}/s; oversold ${h.oversold}`,
          goal: "≥ 5× pgbench hot row; zero oversell",
          met: h.ratio >= 5 && h.oversold === 0,
        }
      : { figure: "hot SKU", measured: "not run", goal: "≥ 5× pgbench hot row; zero oversell", met: null },
  );
  const fs = f.flashSale;
  rows.push(
    fs
      ? {
          figure: "flash sale",
          measured: `${fs.succeeded} of ${fs.buyers} buyers succeeded for ${fs.units} units${fs.exact ? " (exact in every run)" : " (NOT exact)"}; p99 ${fmt(fs.p99Ms)} ms${range(fs.p99Spread)}; negative ${fs.negative}`,
          goal: "exactly the units succeed; p99 ≤ 1 s; nothing negative",
          met: fs.exact && fs.p99Ms <= 1000 && fs.negative === 0,
        }
      : { figure: "flash sale", measured: "not run", goal: "exactly the units succeed; p99 ≤ 1 s; nothing negative", met: null },
  );
  const l = f.replicationLag;
  rows.push(
    l
      ? {
          figure: "replication lag",
          measured: `p50 ${fmt(l.p50Ms, 1)} ms, p99 ${fmt(l.p99Ms, 1)} ms${range(l.p99Spread, 1)} from ${String(l.measuredFrom).split(" ")[0]} (from send: p50 ${fmt(l.fromSendP50Ms, 1)}, p99 ${fmt(l.fromSendP99Ms, 1)}; from ack: p50 ${fmt(l.fromAckP50Ms, 1)}, p99 ${fmt(l.fromAckP99Ms, 1)}) at ${fmt(l.writesPerSec)} writes/s`,
          goal: "p50 ≤ 10 ms, p99 ≤ 50 ms",
          met: l.p50Ms <= 10 && l.p99Ms <= 50,
        }
      : { figure: "replication lag", measured: "not run", goal: "p50 ≤ 10 ms, p99 ≤ 50 ms", met: null },
  );
  const r = f.agentReads;
  rows.push(
    r
      ? {
          figure: "agent reads",
          measured: `${fmt(r.value)}/s${range(r.valueSpread)} vs hello-world ${fmt(r.ceiling)}/s${range(r.ceilingSpread)} = **${r.ratio}×**; p99 ${fmt(r.p99Ms, 1)} ms at ${fmt(r.latencyRatePerSec)}/s`,
          goal: "≥ 0.8× hello-world; p99 ≤ 5 ms",
          met: r.ratio >= 0.8 && r.p99Ms <= 5,
        }
      : { figure: "agent reads", measured: "not run", goal: "≥ 0.8× hello-world; p99 ≤ 5 ms", met: null },
  );
  const b = f.rebuild;
  rows.push(
    b
      ? {
          figure: "rebuild",
          measured: `${fmt(b.events)} events at ${fmt(b.eventsPerSec)} events/s${range(b.eventsPerSecSpread)}`,
          goal: "≥ 150,000 events/s (1,000,000 events)",
          met: b.eventsPerSec >= 150_000,
        }
      : { figure: "rebuild", measured: "not run", goal: "≥ 150,000 events/s", met: null },
  );
  const load = f.fleet;
  rows.push(
    load?.loadRecordsPerSec !== undefined
      ? {
          figure: "replica load (chain view)",
          measured: `${fmt(load.loadRecords)} records at ${fmt(load.loadRecordsPerSec)} records/s${range(load.loadRecordsPerSecSpread)}, a new agent's load (fleet figure)`,
          goal: "≥ 150,000 records/s",
          met: load.loadRecordsPerSec >= 150_000,
        }
      : { figure: "replica load (chain view)", measured: "not run", goal: "≥ 150,000 records/s", met: null },
  );
  const p = f.footprint;
  rows.push(
    p
      ? {
          figure: "footprint",
          measured: `agent ${fmt(p.agentRssMb)} MB with ${fmt(p.agentItems)} items, ${SETTLE_MS / 1000} s after ready (${fmt(p.agentRssAtReadyMb?.median)} MB at ready); hub ${fmt(p.hubRssMb)} MB peak under spread load`,
          goal: "agent ≤ 150 MB (100,000 items), hub ≤ 300 MB",
          met: (Number.isNaN(n(p.agentRssMb)) || p.agentRssMb <= 150) && (Number.isNaN(n(p.hubRssMb)) || p.hubRssMb <= 300),
        }
      : { figure: "footprint", measured: "not run", goal: "agent ≤ 150 MB, hub ≤ 300 MB", met: null },
  );
  const fl = f.fleet;
  const fleetGoal = "new agent ready ≤ 10 s; RSS ≤ 150 MB; fetched ≤ 1/10 of every partition; no new groups after restarts";
  rows.push(
    fl
      ? {
          figure: "fleet",
          measured: `${fmt(fl.stores)} stores × ${fmt(fl.skusPerStore)} SKUs: new agent ready in ${fmt(fl.bootstrapSeconds, 1)} s${range(fl.bootstrapSecondsSpread, 1)} holding ${fmt(fl.bootstrapItems)} items (${fmt(fl.bootstrapOwnStoreItems)} its own), RSS ${fmt(fl.agentRssMb)} MB (${fmt(fl.agentRssAtReadyMb?.median)} at ready, ${fmt(fl.agentRssSettledMb?.median)} ${SETTLE_MS / 1000} s later, ${fmt(fl.agentRssAfterLoadMb)} after the writes); at ${fmt(fl.writesPerSec)} writes/s over ${fmt(fl.writingStores)} stores it fetched ${fmt(fl.bytesFetchedPerAgentPerSec)} B/s vs ${fmt(fl.bytesFetchedTodayPerAgentPerSec)} B/s reading every event partition = **${fmt(fl.fetchedRatio, 3)}×** decompressed, ${fmt(fl.wireBytesPerAgentPerSec)} vs ${fmt(fl.wireBytesTodayPerAgentPerSec)} B/s = **${fmt(fl.wireRatio, 3)}×** as stored (chain-view batches ${Object.keys(fl.batchCodecs?.chainView ?? {}).join("/") || "–"}); lag p99 own store ${fmt(fl.ownStoreLagP99Ms, 1)} ms, other store ${fmt(fl.chainViewLagP99Ms)} ms; groups ${fmt(fl.consumerGroupsBeforeRestarts)} → ${fmt(fl.consumerGroupsAfterRestarts)} after ${fmt(fl.restarts)} kill -9 restarts${Object.entries(
            fl.consumerGroupsAdded ?? {},
          )
            .map(([kind, count]) => ` (+${count} ${kind})`)
            .join("")}; load average ${(fl.loadAverage?.before ?? []).join("/")}`,
          goal: fleetGoal,
          met: Object.values(fl.goals as Record<string, boolean>).every(Boolean),
        }
      : { figure: "fleet", measured: "not run", goal: fleetGoal, met: null },
  );
  return rows;
};

export const markdownTable = (rows: readonly GoalRow[]): string =>
  [
    "| figure | measured (median of runs, min–max) | goal | met |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.figure} | ${r.measured} | ${r.goal} | ${r.met === null ? "–" : r.met ? "yes" : "**no**"} |`),
  ].join("\n");
