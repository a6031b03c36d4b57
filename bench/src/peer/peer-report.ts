import type { RaceFigure } from "./reservation-race.js";
import type { SpreadFigure } from "./spread-adjustments.js";

const fmt = (v: number | undefined, digits = 0) =>
  v === undefined || !Number.isFinite(v) ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: digits });
const range = (s: { min: number; max: number } | undefined, digits = 0) => (s ? ` (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : "");

const table = (header: string[], rows: string[][]) =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

const statuses = (counts: readonly Record<string, number>[]) => {
  const total: Record<string, number> = {};
  for (const c of counts) for (const [status, n] of Object.entries(c)) total[status] = (total[status] ?? 0) + n;
  return Object.entries(total)
    .map(([status, n]) => `${n} × ${status}`)
    .join(", ");
};

/** The race side by side: one column per subject. */
export const raceTable = (race: Record<string, RaceFigure>): string => {
  const names = Object.keys(race);
  const cell = (pick: (f: RaceFigure) => string) => names.map((n) => pick(race[n]!));
  const any = race[names[0]!]!;
  return table(
    [`${any.buyers} reservations at once for ${any.units} units (median of ${any.runs.length})`, ...names],
    [
      ["accepted", ...cell((f) => `${fmt(f.accepted)} (${f.runs.map((r) => r.accepted).join(", ")})`)],
      ["units oversold (reserved − stocked)", ...cell((f) => `**${fmt(f.oversold)}** (max ${fmt(f.oversoldMax)})`)],
      ["reserved counter − reservation records", ...cell((f) => fmt(f.counterDrift))],
      ["throughput, requests/s over the race", ...cell((f) => fmt(f.perSec))],
      ["p99", ...cell((f) => `${fmt(f.p99Ms)} ms${range(f.p99Spread)}`)],
      ["statuses, all runs", ...cell((f) => statuses(f.runs.map((r) => r.statusCounts)))],
    ],
  );
};

/** The spread adjustments side by side. */
export const spreadTable = (spread: Record<string, SpreadFigure>, durationS: number, connections: number, items: number): string => {
  const names = Object.keys(spread);
  const cell = (pick: (f: SpreadFigure) => string) => names.map((n) => pick(spread[n]!));
  return table(
    [`+1 adjustments over ${fmt(items)} items, ${connections} connections, ${durationS} s runs`, ...names],
    [
      ["throughput at saturation", ...cell((f) => `**${fmt(f.perSec)}/s**${range(f.perSecSpread)}`)],
      ["p99 at saturation", ...cell((f) => `${fmt(f.p99AtSaturationMs)} ms${range(f.p99AtSaturationSpread)}`)],
      [
        "p50 / p99 at half that rate (open loop)",
        ...cell((f) => `${fmt(f.p50AtHalfRateMs, 1)} / ${fmt(f.p99AtHalfRateMs, 1)} ms at ${fmt(f.latencyRatePerSec)}/s`),
      ],
      ["units lost (acknowledged − applied)", ...cell((f) => `${fmt(f.unitsLost)} of ${fmt(f.acknowledged)}`)],
      [
        "errors and non-2xx",
        ...cell(
          (f) =>
            `${fmt(f.errors)} errors; ${
              f.statusCounts
                .flatMap((c) =>
                  Object.entries(c)
                    .filter(([s]) => Number(s) >= 300)
                    .map(([s, n]) => `${n} × ${s}`),
                )
                .join(", ") || "none"
            }`,
        ),
      ],
    ],
  );
};
