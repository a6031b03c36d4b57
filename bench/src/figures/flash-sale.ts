import { expectStatus } from "../api.js";
import { observe, TOKEN, type BenchContext } from "../context.js";
import { runLoad, writeHeaders } from "../load.js";
import { waitVisible } from "../seed.js";
import { repeat, spread } from "../stats.js";

/**
 * `flashBuyers` buyers at once, each one purchase of one unit, for `flashUnits` units spread over the stores;
 * a fresh SKU per run. Checks exactly `flashUnits` succeed, and nothing is negative at the hub's database
 * or in the agent's replica once it has caught up.
 */
export const flashSale = async (ctx: BenchContext) => {
  const { config } = ctx;
  const runs = await repeat(config.runs, async (run) => {
    const sku = `FLASH-${Date.now().toString(36)}-${run}`;
    expectStatus(await ctx.hub.post("/v1/products", { sku, name: `Flash sale ${run}`, initialOnHand: 0 }), 202, `product ${sku}`);
    const perStore = config.stores.map(
      (_, i) => Math.floor(config.flashUnits / config.stores.length) + (i < config.flashUnits % config.stores.length ? 1 : 0),
    );
    for (const [i, storeId] of config.stores.entries()) {
      expectStatus(
        await ctx.hub.post("/v1/adjustments", { storeId, sku, delta: perStore[i], reason: "restock" }),
        202,
        `flash stock ${storeId}`,
      );
    }
    ctx.log(`flashSale: run ${run + 1}, ${config.flashBuyers} buyers for ${config.flashUnits} units`);
    const { result, observed } = await observe(ctx, () =>
      runLoad({
        url: ctx.hubProcess.url,
        connections: config.flashBuyers,
        amount: config.flashBuyers,
        next: () => ({ method: "POST", path: "/v1/purchase", headers: writeHeaders(TOKEN), body: JSON.stringify({ sku, qty: 1 }) }),
      }),
    );
    const rows = (await ctx.db.query(`SELECT store_id, on_hand, reserved, version FROM stock_items WHERE sku = $1`, [sku])).rows;
    let negative = rows.filter((r) => Number(r.on_hand) < 0 || Number(r.on_hand) - Number(r.reserved) < 0).length;
    const left = rows.reduce((sum, r) => sum + Number(r.on_hand), 0);
    for (const r of rows) await waitVisible(ctx.agent, sku, r.store_id, (row) => row.version >= Number(r.version), 60_000);
    const atAgent = await ctx.agent.get(`/v1/availability?sku=${sku}`);
    negative += (atAgent.body?.perStore ?? []).filter((row: any) => row.onHand < 0 || row.available < 0).length;
    return {
      succeeded: result.ok,
      refused: result.statusCounts["409"] ?? 0,
      statusCounts: result.statusCounts,
      errors: result.errors + result.timeouts,
      unitsLeft: left,
      p99Ms: result.p99Ms,
      negative,
      observed,
    };
  });
  const succeeded = spread(runs.map((r) => r.succeeded));
  return {
    units: config.flashUnits,
    buyers: config.flashBuyers,
    succeeded: succeeded.median,
    p99Ms: spread(runs.map((r) => r.p99Ms)).median,
    negative: runs.reduce((n, r) => n + r.negative, 0),
    exact: runs.every((r) => r.succeeded === config.flashUnits && r.unitsLeft === 0),
    succeededSpread: succeeded,
    p99Spread: spread(runs.map((r) => r.p99Ms)),
    runs: runs.map(({ observed, ...r }) => r),
    observed: runs[Math.floor(runs.length / 2)]!.observed,
  };
};
