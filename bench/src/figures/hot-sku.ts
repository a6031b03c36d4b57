import { observe, TOKEN, type BenchContext } from "../context.js";
import { runLoad, writeHeaders } from "../load.js";
import { adjustmentScript, runPgbench } from "../pgbench.js";
import { HOT_ON_HAND, HOT_SKU } from "../seed.js";
import { ratio, repeat, spread } from "../stats.js";

/**
 * Purchases of one SKU with ample stock (all of it at the first store) at `connections`: saturated
 * throughput, then p99 at half that rate. Ceiling: pgbench's adjustment script on one hot row.
 * Oversold: acknowledged purchases beyond the units that left the shelf, plus any negative row.
 */
export const hotSku = async (ctx: BenchContext) => {
  const { config } = ctx;
  ctx.log(`hotSku: pgbench hot-row ceiling, ${config.runs} x ${config.durationS} s`);
  const ceilingRuns = await repeat(config.runs, () =>
    observe(ctx, () =>
      runPgbench({
        pgBin: config.pgBin,
        port: config.pgPort,
        scriptPath: `${config.dataDir}/pgbench-hot.sql`,
        script: adjustmentScript("0", -1, config.stores.length),
        clients: config.connections,
        durationS: config.durationS,
      }),
    ),
  );
  const ceiling = spread(ceilingRuns.map((r) => r.result.tps));

  const next = () => ({
    method: "POST" as const,
    path: "/v1/purchase",
    headers: writeHeaders(TOKEN),
    body: JSON.stringify({ sku: HOT_SKU, qty: 1 }),
  });
  ctx.log(`hotSku: saturation, ${config.runs} x ${config.durationS} s`);
  const saturated = await repeat(config.runs, () =>
    observe(ctx, () => runLoad({ url: ctx.hubProcess.url, connections: config.connections, durationS: config.durationS, next })),
  );
  const value = spread(saturated.map((r) => r.result.okPerSec));
  const rate = config.hotSkuRate ?? value.median / 2;
  ctx.log(`hotSku: latency at ${Math.round(rate)}/s, ${config.runs} x ${config.durationS} s`);
  const fixed = await repeat(config.runs, () =>
    runLoad({ url: ctx.hubProcess.url, connections: config.connections, durationS: config.durationS, overallRate: rate, next }),
  );

  // Requests still in flight when a run ends commit without being counted, so sold >= acknowledged is expected.
  const acknowledged = [...saturated.map((r) => r.result.ok), ...fixed.map((r) => r.ok)].reduce((a, b) => a + b, 0);
  const rows = (await ctx.db.query(`SELECT store_id, on_hand, reserved FROM stock_items WHERE sku = $1`, [HOT_SKU])).rows;
  const onHand = rows.reduce((sum, r) => sum + Number(r.on_hand), 0);
  const unitsSold = HOT_ON_HAND - onHand;
  const negativeRows = rows.filter((r) => Number(r.on_hand) < 0 || Number(r.on_hand) - Number(r.reserved) < 0).length;
  return {
    value: value.median,
    ceiling: ceiling.median,
    ratio: ratio(value.median, ceiling.median),
    p99Ms: spread(fixed.map((r) => r.p99Ms)).median,
    oversold: Math.max(0, acknowledged - unitsSold) + negativeRows,
    acknowledged,
    unitsSold,
    valueSpread: value,
    ceilingSpread: ceiling,
    p99Spread: spread(fixed.map((r) => r.p99Ms)),
    latencyRatePerSec: Math.round(rate),
    statusCounts: [...saturated.map((r) => r.result.statusCounts), ...fixed.map((r) => r.statusCounts)],
    observedAtSaturation: saturated[Math.floor(saturated.length / 2)]!.observed,
    observedInCeiling: ceilingRuns[Math.floor(ceilingRuns.length / 2)]!.observed,
  };
};
