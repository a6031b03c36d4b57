import { cpus } from "node:os";
import type pg from "pg";
import type { Api } from "./api.js";
import type { BenchConfig } from "./config.js";
import type { ManagedProcess } from "./processes.js";
import { cpuMeter, machineBusyMeter, type CpuTarget } from "./proc-stats.js";

export const TOKEN = "devtoken";

/** What every figure gets: the configuration, the running system, and ways to observe it. */
export interface BenchContext {
  readonly config: BenchConfig;
  readonly hub: Api;
  readonly agent: Api;
  readonly hubProcess: ManagedProcess;
  readonly agentProcess: ManagedProcess;
  /** The hub's own database, for checks on the source of truth. */
  readonly db: pg.Pool;
  readonly cpuTargets: readonly CpuTarget[];
  log(message: string): void;
}

export interface Observed {
  /**
   * Percent of one core per process (200 % = both cores of a 2-core machine); `other`: the rest of the
   * machine's busy time in the same unit; `machine`: percent of all cores.
   */
  readonly cpuPct: Record<string, number>;
  /** PostgreSQL commits per second in the hub's database over the interval. */
  readonly pgCommitsPerSec: number;
}

const commits = async (db: pg.Pool) =>
  Number((await db.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0].xact_commit);

/** CPU per process over an interval, with `other` and `machine` as `Observed.cpuPct` has them. */
export const cpuUse = (targets: readonly CpuTarget[]) => {
  const cpu = cpuMeter(targets);
  const machine = machineBusyMeter();
  return {
    stop: (): Record<string, number> => {
      const perProcess = cpu.stop();
      const machinePct = machine.stop();
      const tracked = Object.values(perProcess).reduce((a, b) => a + b, 0);
      // What the machine spent outside the benchmark's own processes: other people's work on a shared box.
      return { ...perProcess, other: Math.max(0, Math.round(machinePct * cpus().length - tracked)), machine: machinePct };
    },
  };
};

/** Measures CPU per process and PostgreSQL commits/s around `work`: what limits a figure, not a guess. */
export const observe = async <T>(ctx: BenchContext, work: () => Promise<T>): Promise<{ result: T; observed: Observed }> => {
  const startCommits = await commits(ctx.db);
  const started = performance.now();
  const cpu = cpuUse(ctx.cpuTargets);
  const result = await work();
  const cpuPct = cpu.stop();
  const elapsedS = (performance.now() - started) / 1000;
  // pg_stat_database is updated when a backend reports, at most every 500 ms: wait so the counter is current.
  await new Promise((r) => setTimeout(r, 600));
  const pgCommitsPerSec = Math.round((await commits(ctx.db)) - startCommits) / elapsedS;
  return { result, observed: { cpuPct, pgCommitsPerSec: Math.round(pgCommitsPerSec) } };
};
