import { runLoad, type LoadOptions, type LoadResult } from "../load.js";
import type { CpuTarget } from "../proc-stats.js";
import { spread } from "../stats.js";
import { measured } from "./measure.js";
import type { Subject } from "./subject.js";

export interface RaceSettings {
  readonly runs: number;
  readonly buyers: number;
  readonly units: number;
  readonly cpuTargets: readonly CpuTarget[];
  log(message: string): void;
}

/** The buyers split evenly over the subject's processes, all at once; one result as if from one client. */
const sendAll = async (subject: Subject, buyers: number, next: LoadOptions["next"]): Promise<LoadResult> => {
  const urls = subject.urls ?? [subject.url];
  const share = (i: number) => Math.floor(buyers / urls.length) + (i < buyers % urls.length ? 1 : 0);
  const parts = await Promise.all(urls.map((url, i) => runLoad({ url, connections: share(i), amount: share(i), next })));
  if (parts.length === 1) return parts[0]!;
  const sum = (pick: (r: LoadResult) => number) => parts.reduce((n, r) => n + pick(r), 0);
  const statusCounts: Record<string, number> = {};
  for (const r of parts) for (const [status, n] of Object.entries(r.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + n;
  const durationS = Math.max(...parts.map((r) => r.durationS));
  return {
    okPerSec: sum((r) => r.ok) / durationS,
    requests: sum((r) => r.requests),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCounts,
    // Each part's percentiles only: the slower part's bounds the whole from above.
    p50Ms: Math.max(...parts.map((r) => r.p50Ms)),
    p99Ms: Math.max(...parts.map((r) => r.p99Ms)),
    durationS,
  };
};

const raceOnce = async (subject: Subject, run: number, s: RaceSettings) => {
  const item = await subject.raceItem(run, s.units);
  s.log(`race: ${subject.name}, run ${run + 1}: ${s.buyers} reservations at once for ${s.units} units`);
  const { result, measured: seen } = await measured(s.cpuTargets, () => sendAll(subject, s.buyers, item.next));
  const count = await item.count();
  return {
    accepted: result.ok,
    statusCounts: result.statusCounts,
    errors: result.errors + result.timeouts,
    perSec: Math.round(result.requests / result.durationS),
    p99Ms: result.p99Ms,
    ...count,
    oversold: Math.max(0, count.reserved - count.stocked),
    counterDrift: count.reservedCounter - count.reserved,
    measured: seen,
  };
};

/**
 * `buyers` one-unit reservations of one item with `units` at one location, all sent at once (one connection
 * each), a fresh item per run; the subjects take turns run by run, so a busy spell on the shared machine
 * falls on all of them. Oversold = units the reservation records hold beyond the units stocked; counter
 * drift = the location's reserved counter minus those records.
 */
export const reservationRace = async (subjects: readonly Subject[], s: RaceSettings) => {
  const runs = new Map<string, Awaited<ReturnType<typeof raceOnce>>[]>(subjects.map((subject) => [subject.name, []]));
  for (let run = 0; run < s.runs; run++) for (const subject of subjects) runs.get(subject.name)!.push(await raceOnce(subject, run, s));
  const mid = (values: number[]) => spread(values).median;
  return Object.fromEntries(
    [...runs].map(([name, r]) => [
      name,
      {
        buyers: s.buyers,
        units: s.units,
        accepted: mid(r.map((x) => x.accepted)),
        oversold: mid(r.map((x) => x.oversold)),
        oversoldMax: Math.max(...r.map((x) => x.oversold)),
        counterDrift: mid(r.map((x) => x.counterDrift)),
        perSec: mid(r.map((x) => x.perSec)),
        p99Ms: mid(r.map((x) => x.p99Ms)),
        p99Spread: spread(r.map((x) => x.p99Ms)),
        runs: r,
      },
    ]),
  );
};

export type RaceFigure = Awaited<ReturnType<typeof reservationRace>>[string];
