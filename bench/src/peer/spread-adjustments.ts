import { runLoad, type LoadResult } from "../load.js";
import type { CpuTarget } from "../proc-stats.js";
import { spread } from "../stats.js";
import { measured, type Measured } from "./measure.js";
import type { Subject } from "./subject.js";

export interface SpreadSettings {
  readonly runs: number;
  readonly durationS: number;
  readonly connections: number;
  readonly items: number;
  readonly cpuTargets: readonly CpuTarget[];
  log(message: string): void;
}

/**
 * +1 adjustments of random items of `items` (location, item) pairs at `connections`: closed loop for
 * `durationS` per run (throughput, and p99 at saturation), then open loop at half that rate (p99 without
 * the queueing of saturation). The subjects take turns run by run. Units lost = acknowledged adjustments
 * beyond the units that arrived on the shelves (requests in flight at a run's end may land unacknowledged,
 * so applied ≥ acknowledged is expected of a system that loses nothing).
 */
export const spreadAdjustments = async (subjects: readonly Subject[], s: SpreadSettings) => {
  const seeded = [];
  for (const subject of subjects) {
    const items = await subject.spreadItems(s.items, 1_000);
    seeded.push({
      subject,
      items,
      before: await items.stockedTotal(),
      saturated: [] as { result: LoadResult; measured: Measured }[],
      fixed: [] as LoadResult[],
    });
  }
  for (let run = 0; run < s.runs; run++) {
    for (const x of seeded) {
      s.log(`spread: ${x.subject.name}, saturation run ${run + 1}, ${s.durationS} s`);
      x.saturated.push(
        await measured(s.cpuTargets, () =>
          runLoad({ url: x.subject.url, connections: s.connections, durationS: s.durationS, next: x.items.next }),
        ),
      );
    }
  }
  const rates = new Map(seeded.map((x) => [x.subject.name, Math.max(1, spread(x.saturated.map((r) => r.result.okPerSec)).median / 2)]));
  for (let run = 0; run < s.runs; run++) {
    for (const x of seeded) {
      const rate = rates.get(x.subject.name)!;
      s.log(`spread: ${x.subject.name}, latency run ${run + 1} at ${Math.round(rate)}/s, ${s.durationS} s`);
      x.fixed.push(
        await runLoad({ url: x.subject.url, connections: s.connections, durationS: s.durationS, overallRate: rate, next: x.items.next }),
      );
    }
  }
  const figures: Record<string, ReturnType<typeof summarize>> = {};
  for (const x of seeded)
    figures[x.subject.name] = summarize(x.saturated, x.fixed, rates.get(x.subject.name)!, (await x.items.stockedTotal()) - x.before);
  return figures;
};

const summarize = (saturated: { result: LoadResult; measured: Measured }[], fixed: LoadResult[], rate: number, applied: number) => {
  const acknowledged = [...saturated.map((r) => r.result.ok), ...fixed.map((r) => r.ok)].reduce((a, b) => a + b, 0);
  const value = spread(saturated.map((r) => r.result.okPerSec));
  return {
    perSec: value.median,
    perSecSpread: value,
    p99AtSaturationMs: spread(saturated.map((r) => r.result.p99Ms)).median,
    p99AtSaturationSpread: spread(saturated.map((r) => r.result.p99Ms)),
    latencyRatePerSec: Math.round(rate),
    p50AtHalfRateMs: spread(fixed.map((r) => r.p50Ms)).median,
    p99AtHalfRateMs: spread(fixed.map((r) => r.p99Ms)).median,
    p99AtHalfRateSpread: spread(fixed.map((r) => r.p99Ms)),
    acknowledged,
    applied,
    unitsLost: Math.max(0, acknowledged - applied),
    statusCounts: [...saturated.map((r) => r.result.statusCounts), ...fixed.map((r) => r.statusCounts)],
    errors: [...saturated.map((r) => r.result.errors + r.result.timeouts), ...fixed.map((r) => r.errors + r.timeouts)].reduce(
      (a, b) => a + b,
      0,
    ),
    measuredAtSaturation: saturated.map((r) => r.measured),
  };
};

export type SpreadFigure = Awaited<ReturnType<typeof spreadAdjustments>>[string];
