import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts PostgreSQL and Kafka`);
  return value;
};

/** Where the suite's PostgreSQL server and Kafka broker are, as started by deploy/test.sh. */
export const infra = {
  pgUrl: (database = "inventory") => `${required("TEST_PG_URL")}/${database}`,
  kafkaBrokers: () => required("TEST_KAFKA_BROKERS"),
  logDir: () => process.env.TEST_LOG_DIR ?? `${REPO_ROOT}.data/test/logs`,
  dataDir: () => process.env.TEST_DATA_DIR ?? `${REPO_ROOT}.data/test`,
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

const run = promisify(execFile);

const killFromPidFile = async (pidFile: string) => {
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  process.kill(pid, "SIGKILL");
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
    await sleep(50);
  }
  throw new Error(`process ${pid} still alive after SIGKILL`);
};

/** Stops, kills or starts the suite's Kafka broker with the project's own scripts (same ports and data as test.sh). */
export const kafkaBroker = {
  stop: () => run("bash", [`${REPO_ROOT}deploy/kafka/stop.sh`], { env: process.env }),
  start: () => run("bash", [`${REPO_ROOT}deploy/kafka/start.sh`], { env: process.env }),
  kill: () => killFromPidFile(`${process.env.KAFKA_DATA_DIR}/kafka.pid`),
};

/** The same for the suite's PostgreSQL server. `kill` is a crash: SIGKILL to the postmaster. */
export const postgresServer = {
  /** Retries while the killed server's orphaned backends are still exiting and holding its shared memory. */
  start: async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run("bash", [`${REPO_ROOT}deploy/postgres/start.sh`], { env: process.env });
      } catch (err) {
        if (attempt >= 10) throw err;
        await sleep(500);
      }
    }
  },
  kill: () => killFromPidFile(`${process.env.PG_DATA_DIR}/postmaster.pid`),
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `check` until it stops throwing, or rethrows its last error after `timeoutMs`. */
export const eventually = async <T>(check: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 50): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(intervalMs);
    }
  }
};
