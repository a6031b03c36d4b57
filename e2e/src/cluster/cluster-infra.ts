import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { createKafka, silentLogger, type KafkaSecurity } from "@inventory/platform";
import type { Kafka } from "kafkajs";
import { REPO_ROOT, sleep } from "../harness/infra.js";

const run = promisify(execFile);

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the cluster suite with \`npm run test:cluster\`, which starts the 3-node cluster`);
  return value;
};

/** The 3-node cluster started by deploy/test-cluster.sh: its brokers, its secrets, and its nodes' processes. */
export const cluster = {
  brokers: () => required("TEST_KAFKA_BROKERS"),
  dir: () => required("TEST_KAFKA_CLUSTER_DIR"),
  caFile: () => `${cluster.dir()}/secrets/ca.pem`,
  passwordFile: (user: string) => `${cluster.dir()}/secrets/${user}.password`,
  /** A node's client port: 1, 2 or 3. */
  clientPort: (node: number) => Number(cluster.brokers().split(",")[node - 1]!.split(":")[1]),
  /** The environment a hub or an agent gets to connect as `user`. */
  clientEnv: (user: string): Record<string, string> => ({
    KAFKA_BROKERS: cluster.brokers(),
    KAFKA_TLS_CA_FILE: cluster.caFile(),
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD_FILE: cluster.passwordFile(user),
  }),
  security: (user: string | null, password?: string): KafkaSecurity => ({
    tls: { ca: readFileSync(cluster.caFile(), "utf8") },
    ...(user === null
      ? {}
      : {
          sasl: {
            mechanism: "scram-sha-512",
            username: user,
            password: password ?? readFileSync(cluster.passwordFile(user), "utf8").trim(),
          },
        }),
  }),
  /** A kafkajs client as `user` (TLS and SCRAM), with few retries so that a refusal shows quickly. */
  kafkaAs: (user: string | null, options: { password?: string; brokers?: string } = {}): Kafka =>
    createKafka(
      {
        brokers: (options.brokers ?? cluster.brokers()).split(","),
        clientId: `e2e-${user ?? "anonymous"}`,
        security: cluster.security(user, options.password),
      },
      silentLogger,
    ),
  /** Grants the hub's and these stores' ACLs on a topic prefix, as an operator would for a new deployment. */
  grantAcls: async (prefix: string, stores: readonly string[]) => {
    await run("node", [`${REPO_ROOT}hub/dist/grant-kafka-acls.js`, "--prefix", prefix, "--stores", stores.join(",")], {
      env: { ...process.env, ...cluster.clientEnv("admin") },
      timeout: 60_000,
    });
  },
  /** A crash: SIGKILL to the node's JVM. */
  killNode: async (node: number) => {
    const pid = Number(readFileSync(`${cluster.dir()}/node-${node}/kafka.pid`, "utf8").trim());
    process.kill(pid, "SIGKILL");
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(50);
    }
    throw new Error(`node ${node} (pid ${pid}) still alive after SIGKILL`);
  },
  /** Starts the given nodes again with the project's script (same ports and data); resolves once they accept connections. */
  startNodes: async (...nodes: number[]) => {
    await run("bash", [`${REPO_ROOT}deploy/kafka/cluster-start.sh`, ...nodes.map(String)], { env: process.env, timeout: 240_000 });
  },
};
