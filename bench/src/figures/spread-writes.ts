import { observe, TOKEN, type BenchContext } from "../context.js";
import { runLoad, writeHeaders } from "../load.js";
import { adjustmentScript, runPgbench } from "../pgbench.js";
import { rssPeakSampler } from "../proc-stats.js";
import { spreadItem } from "../seed.js";
import { ratio, repeat, spread } from "../stats.js";

/**
 * Adjustments over the spread items at `connections`, a fresh Idempotency-Key each: saturated throughput
 * (closed loop), then latency at half that rate (open loop). Ceiling: pgbench running the same SQL.
 * Also samples the hub's RSS under this load (the footprint figure).
 */
export const spreadWrites = async (ctx: BenchContext) => {
  const { config } = ctx;
  ctx.log(`spreadWrites: pgbench ceiling, ${config.runs} x ${config.durationS} s`);
  const ceilingRuns = await repeat(config.runs, () =>
    observe(ctx, () =>
      runPgbench({
        pgBin: config.pgBin,
        port: config.pgPort,
        scriptPath: `${config.dataDir}/pgbench-spread.sql`,
        script: adjustmentScript(`random(0, ${config.spreadItems - 1})`, 1, config.stores.length),
        clients: config.connections,
        durationS: config.durationS,
      }),
    ),
  );
  const ceiling = spread(ceilingRuns.map((r) => r.result.tps));

  const next = () => {
    const { storeId, sku } = spreadItem(Math.floor(Math.random() * config.spreadItems), config.stores);
    return {
      method: "POST" as const,
      path: "/v1/adjustments",
      headers: writeHeaders(TOKEN),
      body: JSON.stringify({ storeId, sku, delta: 1, reason: "restock" }),
    };
  };
  ctx.log(`spreadWrites: saturation, ${config.runs} x ${config.durationS} s`);
  const hubRss = rssPeakSampler(ctx.hubProcess.pid);
  const saturated = await repeat(config.runs, () =>
    observe(ctx, () => runLoad({ url: ctx.hubProcess.url, connections: config.connections, durationS: config.durationS, next })),
  );
  const hubRssMb = hubRss.stop();
  const hubMemory = await heapBreakdown(ctx.hubProcess.url);
  const value = spread(saturated.map((r) => r.result.okPerSec));
  const rate = value.median / 2;
  ctx.log(
    `spreadWrites: latency at ${Math.round(rate)}/s, ${config.runs} x ${config.durationS} s, then at a tenth and a quarter of saturation`,
  );
  const fixed = await repeat(config.runs, () =>
    runLoad({ url: ctx.hubProcess.url, connections: config.connections, durationS: config.durationS, overallRate: rate, next }),
  );
  // The same latency at a tenth and a quarter of saturation, one run each: how much of the tail is load.
  const curve = [];
  for (const share of [0.1, 0.25]) {
    const r = await runLoad({
      url: ctx.hubProcess.url,
      connections: config.connections,
      durationS: config.durationS,
      overallRate: value.median * share,
      next,
    });
    curve.push({ ratePerSec: Math.round(value.median * share), p50Ms: r.p50Ms, p99Ms: r.p99Ms });
  }
  return {
    figure: {
      value: value.median,
      ceiling: ceiling.median,
      ratio: ratio(value.median, ceiling.median),
      p50Ms: spread(fixed.map((r) => r.p50Ms)).median,
      p99Ms: spread(fixed.map((r) => r.p99Ms)).median,
      valueSpread: value,
      ceilingSpread: ceiling,
      p99Spread: spread(fixed.map((r) => r.p99Ms)),
      latencyRatePerSec: Math.round(rate),
      latencyAtLowerRates: curve,
      statusCounts: [...saturated.map((r) => r.result.statusCounts), ...fixed.map((r) => r.statusCounts)],
      errors: saturated.reduce((n, r) => n + r.result.errors + r.result.timeouts, 0),
      observedAtSaturation: saturated[Math.floor(saturated.length / 2)]!.observed,
      observedInCeiling: ceilingRuns[Math.floor(ceilingRuns.length / 2)]!.observed,
    },
    hubRssMb,
    hubMemory,
  };
};

/** What of the hub's RSS is V8 heap (total and live) and what is outside it, from its own /metrics. */
const heapBreakdown = async (url: string): Promise<Record<string, number> | null> => {
  const text = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) }).then(
    (r) => (r.ok ? r.text() : ""),
    () => "",
  );
  const mb = (name: string) => {
    const value = new RegExp(`^inventory_${name}(?:\\{[^}]*\\})? (\\S+)`, "m").exec(text)?.[1];
    return value === undefined ? NaN : Math.round(Number(value) / 1e5) / 10;
  };
  if (!text) return null;
  return {
    rssMb: mb("process_resident_memory_bytes"),
    heapTotalMb: mb("nodejs_heap_size_total_bytes"),
    heapUsedMb: mb("nodejs_heap_size_used_bytes"),
    externalMb: mb("nodejs_external_memory_bytes"),
  };
};
