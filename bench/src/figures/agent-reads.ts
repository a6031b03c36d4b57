import { observe, type BenchContext } from "../context.js";
import { runLoad, type LoadResult } from "../load.js";
import { startNode } from "../processes.js";
import { skuName } from "../seed.js";
import { ratio, repeat, spread } from "../stats.js";

/**
 * GET /v1/availability for a random one of the catalogue's SKUs (at a random store, or all stores) at
 * `connections`, against the agent and against the hello-world ceiling server: the same load tool, the same
 * request mix, the same stack. Saturated throughput, then p99 at half that rate.
 */
export const agentReads = async (ctx: BenchContext) => {
  const { config } = ctx;
  const next = () => {
    const sku = skuName(Math.floor(Math.random() * config.skus));
    const store = Math.floor(Math.random() * (config.stores.length + 1));
    const query = store < config.stores.length ? `sku=${sku}&storeId=${config.stores[store]}` : `sku=${sku}`;
    return { method: "GET" as const, path: `/v1/availability?${query}` };
  };
  const saturate = (url: string) => runLoad({ url, connections: config.connections, durationS: config.durationS, next });

  const ceilingServer = await startNode("ceiling", `${config.repoRoot}/bench/dist/ceiling-server.js`, config.ceilingPort, {
    logDir: `${config.dataDir}/logs`,
    cwd: config.repoRoot,
    env: {},
    waitFor: "listening",
  });
  let ceilingRuns: LoadResult[];
  try {
    ctx.log(`agentReads: hello-world ceiling, ${config.runs} x ${config.durationS} s`);
    ceilingRuns = await repeat(config.runs, () => saturate(ceilingServer.url));
  } finally {
    await ceilingServer.stop();
  }
  const ceiling = spread(ceilingRuns.map((r) => r.okPerSec));

  ctx.log(`agentReads: agent saturation, ${config.runs} x ${config.durationS} s`);
  const saturated = await repeat(config.runs, () => observe(ctx, () => saturate(ctx.agentProcess.url)));
  const value = spread(saturated.map((r) => r.result.okPerSec));
  const rate = value.median / 2;
  ctx.log(`agentReads: latency at ${Math.round(rate)}/s, ${config.runs} x ${config.durationS} s`);
  const fixed = await repeat(config.runs, () =>
    runLoad({ url: ctx.agentProcess.url, connections: config.connections, durationS: config.durationS, overallRate: rate, next }),
  );
  return {
    value: value.median,
    ceiling: ceiling.median,
    ratio: ratio(value.median, ceiling.median),
    p99Ms: spread(fixed.map((r) => r.p99Ms)).median,
    p50Ms: spread(fixed.map((r) => r.p50Ms)).median,
    valueSpread: value,
    ceilingSpread: ceiling,
    p99Spread: spread(fixed.map((r) => r.p99Ms)),
    latencyRatePerSec: Math.round(rate),
    non2xx: saturated.reduce((n, r) => n + r.result.non2xx, 0),
    observedAtSaturation: saturated[Math.floor(saturated.length / 2)]!.observed,
  };
};
