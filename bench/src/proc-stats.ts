import { readFileSync, readdirSync } from "node:fs";

const CLOCK_TICKS_PER_S = 100;

/** The process id a pid file names on its first line (PostgreSQL's postmaster.pid, the broker's kafka.pid). */
export const pidFile = (path: string): number => Number(readFileSync(path, "utf8").split("\n")[0]);

/** Resident set size of one process, in MB, from /proc/<pid>/status (VmRSS). */
export const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : NaN;
};

const statFields = (pid: number): string[] | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
};

/**
 * CPU seconds (user + system) used so far by a process; with `withChildren`, also by its live children;
 * with `reaped`, also by the children it has waited for (PostgreSQL's ended backends, finished pgbench runs).
 */
const cpuSeconds = (pid: number, withChildren: boolean, reaped: boolean): number => {
  const own = statFields(pid);
  if (!own) return 0;
  // Fields after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  let ticks = Number(own[11]) + Number(own[12]) + (reaped ? Number(own[13]) + Number(own[14]) : 0);
  if (withChildren) {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = statFields(Number(entry));
      if (fields && Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    }
  }
  return ticks / CLOCK_TICKS_PER_S;
};

export interface CpuTarget {
  readonly name: string;
  readonly pid: number;
  /** Count the live direct children too (PostgreSQL's backends are children of the postmaster). */
  readonly withChildren?: boolean;
  /** Count the children this process has reaped during the interval. */
  readonly reaped?: boolean;
}

/**
 * Measures how busy each process was over an interval, in percent of one core (200 % = both cores of a
 * 2-core machine). Backends that exit during the interval are missed, so PostgreSQL's figure is a lower bound.
 */
export const cpuMeter = (targets: readonly CpuTarget[]) => {
  const read = () => targets.map((t) => cpuSeconds(t.pid, t.withChildren ?? false, t.reaped ?? false));
  const started = performance.now();
  const before = read();
  return {
    stop: (): Record<string, number> => {
      const after = read();
      const elapsedS = (performance.now() - started) / 1000;
      return Object.fromEntries(targets.map((t, i) => [t.name, Math.round(((after[i]! - before[i]!) / elapsedS) * 100)]));
    },
  };
};

/** Samples a process's RSS every `intervalMs` until stopped; returns the peak in MB. */
export const rssPeakSampler = (pid: number, intervalMs = 250) => {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      /* the process has exited */
    }
  }, intervalMs);
  return {
    stop: (): number => {
      clearInterval(timer);
      return peak;
    },
  };
};

const machineTicks = () => {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + (cpu[4] ?? 0);
  return { idle, total: cpu.reduce((a, b) => a + b, 0) };
};

/** How busy the whole machine was over an interval, in percent of all cores. */
export const machineBusyMeter = () => {
  const before = machineTicks();
  return {
    stop: (): number => {
      const after = machineTicks();
      const total = after.total - before.total;
      return total > 0 ? Math.round((1 - (after.idle - before.idle) / total) * 100) : NaN;
    },
  };
};
