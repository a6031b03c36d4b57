import { setTimeout as sleep } from "node:timers/promises";
import { expectStatus } from "../api.js";
import { observe, TOKEN, type BenchContext } from "../context.js";
import { runLoad, writeHeaders } from "../load.js";
import { PROBE_SKU, spreadItem } from "../seed.js";
import { percentile, repeat, round, spread } from "../stats.js";

/**
 * Hub commit → visible in an agent read, while spread adjustments arrive at `writesPerSec` (half the
 * saturated write rate). A probe writes one item through the hub and polls the agent's read API until the
 * new version shows. Measured from the commit itself: PostgreSQL's commit timestamp of the transaction that
 * wrote the probe's row version (`track_commit_timestamp`, which deploy/bench.sh turns on; same machine,
 * same clock). Also from the moment the probe was sent (an upper bound: it includes the hub's own queue and
 * handling) and from its acknowledgement (a lower bound: the commit happened before it).
 */
export const replicationLag = async (ctx: BenchContext, writesPerSec: number) => {
  const { config } = ctx;
  const storeId = config.stores[0]!;
  const row = await ctx.db.query(`SELECT version FROM stock_items WHERE store_id = $1 AND sku = $2`, [storeId, PROBE_SKU]);
  let version = Number(row.rows[0]?.version ?? 0);
  const commitTimes =
    (await ctx.db.query<{ track_commit_timestamp: string }>("SHOW track_commit_timestamp")).rows[0]?.track_commit_timestamp === "on";
  const committedAt = async (expected: number): Promise<number> => {
    const result = await ctx.db.query<{ ms: string }>(
      "SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS ms FROM stock_items WHERE store_id = $1 AND sku = $2 AND version = $3",
      [storeId, PROBE_SKU, expected],
    );
    return Number(result.rows[0]?.ms);
  };

  const probeOnce = async () => {
    const expected = version + 1;
    const sent = performance.now();
    let acked = NaN;
    const write = ctx.hub.post("/v1/adjustments", { storeId, sku: PROBE_SKU, delta: 1, reason: "restock" }).then((reply) => {
      acked = performance.now();
      return reply;
    });
    let visible = NaN;
    while (performance.now() - sent < 30_000) {
      const read = await ctx.agent.get(`/v1/availability?sku=${PROBE_SKU}&storeId=${storeId}`);
      if ((read.body?.perStore?.[0]?.version ?? 0) >= expected) {
        visible = performance.now();
        break;
      }
    }
    expectStatus(await write, 202, "probe write");
    version = expected;
    if (Number.isNaN(visible)) throw new Error("probe write not visible at the agent within 30 s");
    const fromCommitMs = commitTimes ? performance.timeOrigin + visible - (await committedAt(expected)) : NaN;
    return { fromCommitMs, fromSendMs: visible - sent, fromAckMs: Math.max(0, visible - acked) };
  };

  const runs = await repeat(config.runs, async (run) => {
    ctx.log(
      `replicationLag: run ${run + 1}, background ${Math.round(writesPerSec)} writes/s for ${config.durationS} s, ${config.lagProbesPerSecond} probes/s`,
    );
    const background = runLoad({
      url: ctx.hubProcess.url,
      connections: config.connections,
      durationS: config.durationS + 1,
      overallRate: writesPerSec,
      next: () => {
        const item = spreadItem(Math.floor(Math.random() * config.spreadItems), config.stores);
        return {
          method: "POST",
          path: "/v1/adjustments",
          headers: writeHeaders(TOKEN),
          body: JSON.stringify({ ...item, delta: 1, reason: "restock" }),
        };
      },
    });
    const { result: samples, observed } = await observe(ctx, async () => {
      await sleep(500);
      const samples: { fromCommitMs: number; fromSendMs: number; fromAckMs: number }[] = [];
      const until = performance.now() + config.durationS * 1000 - 500;
      const gapMs = 1000 / config.lagProbesPerSecond;
      while (performance.now() < until) {
        const started = performance.now();
        samples.push(await probeOnce());
        await sleep(Math.max(0, gapMs - (performance.now() - started)));
      }
      return samples;
    });
    const load = await background;
    const fromSend = samples.map((s) => s.fromSendMs);
    const fromAck = samples.map((s) => s.fromAckMs);
    const fromCommit = samples.map((s) => s.fromCommitMs);
    return {
      p50Ms: commitTimes ? percentile(fromCommit, 50) : percentile(fromSend, 50),
      p99Ms: commitTimes ? percentile(fromCommit, 99) : percentile(fromSend, 99),
      fromSendP50Ms: percentile(fromSend, 50),
      fromSendP99Ms: percentile(fromSend, 99),
      fromAckP50Ms: percentile(fromAck, 50),
      fromAckP99Ms: percentile(fromAck, 99),
      probes: samples.length,
      backgroundOkPerSec: load.okPerSec,
      observed,
    };
  });
  return {
    p50Ms: spread(runs.map((r) => r.p50Ms)).median,
    p99Ms: spread(runs.map((r) => r.p99Ms)).median,
    writesPerSec: round(spread(runs.map((r) => r.backgroundOkPerSec)).median, 0),
    measuredFrom: commitTimes ? "commit (PostgreSQL commit timestamp)" : "send (track_commit_timestamp is off)",
    fromSendP50Ms: spread(runs.map((r) => r.fromSendP50Ms)).median,
    fromSendP99Ms: spread(runs.map((r) => r.fromSendP99Ms)).median,
    fromAckP50Ms: spread(runs.map((r) => r.fromAckP50Ms)).median,
    fromAckP99Ms: spread(runs.map((r) => r.fromAckP99Ms)).median,
    p50Spread: spread(runs.map((r) => r.p50Ms)),
    p99Spread: spread(runs.map((r) => r.p99Ms)),
    probesPerRun: runs.map((r) => r.probes),
    observed: runs[Math.floor(runs.length / 2)]!.observed,
  };
};
