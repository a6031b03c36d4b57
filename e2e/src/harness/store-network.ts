import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { REPO_ROOT, sleep } from "./infra.js";
import { startProcess, type ManagedProcess } from "./processes.js";
import type { TestSystem } from "./system.js";

const run = promisify(execFile);
const ip = (...args: string[]) => run("ip", args);

export interface StoreNetwork {
  readonly ns: string;
  readonly storeIp: string;
  /** Prefix that runs a command inside the store's namespace. */
  readonly inStore: readonly string[];
  /** Takes the store's one link to the centre down, or up again. */
  cut(): Promise<void>;
  heal(): Promise<void>;
  /** Starts the store's agent inside the namespace, reaching the hub and Kafka through the link. */
  startAgent(name: string, port: number, env: Record<string, string>, options?: { waitForReady?: boolean }): Promise<ManagedProcess>;
  close(): Promise<void>;
}

/**
 * A store in its own network namespace, joined to the hub and Kafka by one veth link that a test cuts.
 * Everything the store's tills do runs inside the namespace, as it would on the shop floor. Needs root and iproute2.
 */
export const createStoreNetwork = async (system: TestSystem): Promise<StoreNetwork> => {
  const id = randomBytes(2).toString("hex");
  const ns = `inv-store-${id}`;
  const hostIf = `vh${id}`;
  const storeIf = `vs${id}`;
  const subnet = `10.231.${1 + (parseInt(id, 16) % 250)}`;
  const hostIp = `${subnet}.1`;
  const storeIp = `${subnet}.2`;
  const inStore = ["ip", "netns", "exec", ns];
  const helpers: ChildProcess[] = [];
  const forward = (wrap: string[], rules: string[]) => {
    const child = spawn(
      wrap[0] ?? process.execPath,
      [...wrap.slice(1), ...(wrap.length ? [process.execPath] : []), `${REPO_ROOT}e2e/netns/tcp-forward.mjs`, ...rules],
      {
        stdio: "ignore",
      },
    );
    helpers.push(child);
  };

  await ip("netns", "add", ns);
  await ip("link", "add", hostIf, "type", "veth", "peer", "name", storeIf);
  await ip("link", "set", storeIf, "netns", ns);
  await ip("addr", "add", `${hostIp}/30`, "dev", hostIf);
  await ip("link", "set", hostIf, "up");
  await ip("netns", "exec", ns, "ip", "addr", "add", `${storeIp}/30`, "dev", storeIf);
  await ip("netns", "exec", ns, "ip", "link", "set", storeIf, "up");
  await ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
  const kafkaPort = system.kafkaBrokers.split(":")[1]!;
  // The broker advertises 127.0.0.1:<port>, so inside the namespace that address leads, through the link, to it.
  forward([], [`${hostIp}:${kafkaPort}=127.0.0.1:${kafkaPort}`, `${hostIp}:${system.hubPort}=127.0.0.1:${system.hubPort}`]);
  forward(inStore, [`127.0.0.1:${kafkaPort}=${hostIp}:${kafkaPort}`]);
  await sleep(500);

  return {
    ns,
    storeIp,
    inStore,
    cut: async () => {
      await ip("link", "set", hostIf, "down");
    },
    heal: async () => {
      await ip("link", "set", hostIf, "up");
    },
    startAgent: (name, port, env, options = {}) =>
      startProcess(
        "edge-agent",
        name,
        port,
        {
          KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
          KAFKA_TOPIC_PREFIX: system.topicPrefix,
          HUB_URL: `http://${hostIp}:${system.hubPort}`,
          ...env,
        },
        { wrap: inStore, host: storeIp, listenHost: "0.0.0.0", waitForReady: options.waitForReady },
      ),
    close: async () => {
      for (const h of helpers) h.kill();
      await ip("link", "del", hostIf).catch(() => undefined);
      await ip("netns", "del", ns).catch(() => undefined);
    },
  };
};
