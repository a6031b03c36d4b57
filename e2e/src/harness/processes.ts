import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { REPO_ROOT, infra, sleep } from "./infra.js";

export interface ManagedProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGTERM (graceful) or SIGKILL (a crash); resolves with the exit code once the process has exited (null when killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const waitReady = async (url: string, child: ChildProcess, name: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see ${infra.logDir()}/${name}.log`);
    const ok = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms; see ${infra.logDir()}/${name}.log`);
};

/** Starts one of the project's real processes (`hub` or `edge-agent`) from its build, logging to the test log dir. */
export const startProcess = async (
  pkg: "hub" | "edge-agent",
  name: string,
  port: number,
  env: Record<string, string>,
  options: {
    waitForReady?: boolean;
    readyTimeoutMs?: number;
    /** A command to run it under, e.g. `ip netns exec <ns>`. */
    wrap?: readonly string[];
    /** Where it is reached from the test, when not on 127.0.0.1. */
    host?: string;
    listenHost?: string;
  } = {},
): Promise<ManagedProcess> => {
  const log = createWriteStream(`${infra.logDir()}/${name}.log`, { flags: "a" });
  const command = [...(options.wrap ?? []), process.execPath, `${REPO_ROOT}${pkg}/dist/main.js`];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env, PORT: String(port), HOST: options.listenHost ?? "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  if (options.waitForReady ?? true) await waitReady(url, child, name, options.readyTimeoutMs ?? 60_000);
  return {
    name,
    url,
    pid: child.pid,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
};
