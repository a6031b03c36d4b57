import { cpus, loadavg } from "node:os";
import { cpuMeter, machineBusyMeter, type CpuTarget } from "../proc-stats.js";

export interface Measured {
  /** Percent of one core per process; `other`: the rest of the machine (other people's work); `machine`: percent of all cores. */
  readonly cpuPct: Record<string, number>;
  /** The 1-minute load average when the work ended (the machine has `cores` cores). */
  readonly loadAverage1m: number;
}

/** CPU per process and the load average around `work`: how busy the shared machine was for this figure. */
export const measured = async <T>(targets: readonly CpuTarget[], work: () => Promise<T>): Promise<{ result: T; measured: Measured }> => {
  const cpu = cpuMeter(targets);
  const machine = machineBusyMeter();
  const result = await work();
  const perProcess = cpu.stop();
  const machinePct = machine.stop();
  const tracked = Object.values(perProcess).reduce((a, b) => a + b, 0);
  return {
    result,
    measured: {
      cpuPct: { ...perProcess, other: Math.max(0, Math.round(machinePct * cpus().length - tracked)), machine: machinePct },
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    },
  };
};
