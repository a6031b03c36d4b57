import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import pg from "pg";
import { apiClient, type ApiClient } from "../harness/http-client.js";
import { freePort, infra } from "../harness/infra.js";
import { startProcess, type ManagedProcess } from "../harness/processes.js";
import { tokenFor } from "../harness/tokens.js";
import { cluster } from "./cluster-infra.js";

export interface ClusterHub {
  readonly id: string;
  readonly url: string;
  readonly client: ApiClient;
  readonly alive: () => boolean;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ClusterSystem {
  readonly hubs: readonly ClusterHub[];
  agent(storeId: string): ApiClient;
  readonly db: pg.Pool;
  readonly topicPrefix: string;
  close(): Promise<void>;
}

/**
 * A whole system on the 3-node cluster for one test file: a fresh database, its own topic prefix with the
 * hub's and the agents' ACLs granted on it, `hubs` real hub processes sharing the database (each with its own
 * replica), and an agent per store, every one connecting with TLS and its own SCRAM identity.
 */
export const startClusterSystem = async (options: {
  hubs: number;
  agents: readonly string[];
  hubEnv?: Record<string, string>;
  /** Settings for one hub only, by index, given its database URL. */
  hubEnvFor?: (index: number, databaseUrl: string) => Record<string, string>;
  /** The hub the agents forward writes to. */
  agentHub?: number;
}): Promise<ClusterSystem> => {
  const id = randomBytes(4).toString("hex");
  const database = `c_${id}`;
  const topicPrefix = `c${id}.`;
  const admin = new pg.Client({ connectionString: infra.pgUrl("inventory") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database} OWNER inventory`);
  await admin.end();
  const databaseUrl = infra.pgUrl(database);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  db.on("error", () => undefined);
  await cluster.grantAcls(topicPrefix, options.agents);
  const replicaDir = `${infra.dataDir()}/replicas`;
  mkdirSync(replicaDir, { recursive: true });

  const hubs: ClusterHub[] = [];
  for (let i = 0; i < options.hubs; i++) {
    const hubId = `hub-${String.fromCharCode(97 + i)}`;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let proc: ManagedProcess | undefined;
    const hub: ClusterHub = {
      id: hubId,
      url,
      client: apiClient(url),
      alive: () => proc !== undefined,
      start: async () => {
        proc = await startProcess("hub", `${hubId}-${id}`, port, {
          ...cluster.clientEnv("hub"),
          KAFKA_TOPIC_PREFIX: topicPrefix,
          KAFKA_REPLICATION_FACTOR: "3",
          KAFKA_PARTITIONS: "3",
          DATABASE_URL: databaseUrl,
          ALLOW_DEV_TOKEN: "true",
          HUB_INSTANCE_ID: hubId,
          HUB_REPLICA_PATH: `${replicaDir}/${hubId}-${id}.sqlite`,
          ...options.hubEnv,
          ...options.hubEnvFor?.(i, databaseUrl),
        });
      },
      stop: async (signal) => {
        const p = proc;
        proc = undefined;
        await p?.stop(signal);
      },
    };
    await hub.start();
    hubs.push(hub);
  }

  const agents = new Map<string, { url: string; process: ManagedProcess }>();
  for (const storeId of options.agents) {
    const port = await freePort();
    const process = await startProcess("edge-agent", `agent-${storeId}-${id}`, port, {
      ...cluster.clientEnv(`agent-${storeId}`),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      STORE_ID: storeId,
      HUB_URL: hubs[options.agentHub ?? 0]!.url,
      AGENT_TOKEN: tokenFor("agent", { stores: [storeId], subject: `agent-${storeId}`, expiresInSeconds: 3600 }),
      AGENT_REPLICA_PATH: `${replicaDir}/agent-${storeId}-${id}.sqlite`,
    });
    agents.set(storeId, { url: `http://127.0.0.1:${port}`, process });
  }

  return {
    hubs,
    agent: (storeId) => apiClient(agents.get(storeId)!.url),
    db,
    topicPrefix,
    close: async () => {
      await Promise.all([...agents.values()].map((a) => a.process.stop()));
      await Promise.all(hubs.map((h) => h.stop()));
      await db.end();
    },
  };
};
