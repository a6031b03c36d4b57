import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export interface ManagedProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Throws when the process has exited: a figure must not wait on a dead process. */
  assertAlive(): void;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logDir: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Wait for GET /ready to answer 200 (default), or only for the port to answer at all. */
  readonly waitFor?: "ready" | "listening" | "nothing";
  readonly readyTimeoutMs?: number;
  /** Node options before the script, e.g. --cpu-prof; a `.sh` script gets them as its arguments and passes them on to node. */
  readonly execArgv?: readonly string[];
}

/** Polls `url` until it answers 200; returns the ms it took. */
export const waitForOk = async (
  url: string,
  assertAlive: () => void,
  name: string,
  timeoutMs: number,
  intervalMs = 20,
): Promise<number> => {
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertAlive();
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return performance.now() - started;
    await sleep(intervalMs);
  }
  throw new Error(`${name}: ${url} not 200 after ${timeoutMs} ms`);
};

/**
 * How a checkout starts its hub: `hub/start.sh`, with the node options the hub is measured with, or in a checkout
 * older than it (a before/after pair's `BENCH_SYSTEM_ROOT`) its `dist/main.js` under plain node.
 */
export const hubProgram = (root: string): string =>
  existsSync(`${root}/hub/start.sh`) ? `${root}/hub/start.sh` : `${root}/hub/dist/main.js`;

/**
 * Starts a Node program (a project process or the ceiling server), or a script that execs one (an agent's
 * or the hub's `start.sh`), with its output in `logDir/name.log`.
 */
export const startNode = async (name: string, script: string, port: number, options: StartOptions): Promise<ManagedProcess> => {
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(`${options.logDir}/${name}.log`, { flags: "a" });
  const [command, args] = script.endsWith(".sh")
    ? ["bash", [script, ...(options.execArgv ?? [])]]
    : [process.execPath, [...(options.execArgv ?? []), script]];
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const assertAlive = () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}); see ${options.logDir}/${name}.log`);
    }
  };
  const waitFor = options.waitFor ?? "ready";
  if (waitFor !== "nothing") {
    await waitForOk(waitFor === "ready" ? `${url}/ready` : `${url}/health`, assertAlive, name, options.readyTimeoutMs ?? 120_000, 100);
  }
  return {
    name,
    url,
    pid: child.pid!,
    assertAlive,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killed);
    },
  };
};
