import { execFile } from "node:child_process";
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

/** Stops or starts the suite's Kafka broker with the project's own scripts (same ports and data as test.sh). */
export const kafkaBroker = {
  stop: () => run("bash", [`${REPO_ROOT}deploy/kafka/stop.sh`], { env: process.env }),
  start: () => run("bash", [`${REPO_ROOT}deploy/kafka/start.sh`], { env: process.env }),
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
