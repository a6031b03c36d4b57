import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import pg from "pg";
import { apiClient, type ApiClient } from "./http-client.js";
import { freePort, infra } from "./infra.js";
import { startProcess, type ManagedProcess } from "./processes.js";
import { tokenFor } from "./tokens.js";

export interface TestSystem {
  readonly hubUrl: string;
  readonly hub: ApiClient;
  agent(storeId: string): ApiClient;
  agentUrl(storeId: string): string;
  /** The hub's own database, for assertions on the source of truth. */
  readonly db: pg.Pool;
  /** Its URL, for a second hub on the same database. */
  readonly databaseUrl: string;
  readonly topicPrefix: string;
  readonly kafkaBrokers: string;
  readonly hubPort: number;
  /** Where an agent keeps its replica file. */
  readonly replicaDir: string;
  /** Resolves with the hub's exit code: 0 after a clean graceful stop, 1 when a step of it hung or failed. */
  stopHub(signal?: NodeJS.Signals): Promise<number | null | undefined>;
  startHub(): Promise<void>;
  stopAgent(storeId: string, signal?: NodeJS.Signals): Promise<void>;
  startAgent(storeId: string, options?: { waitForReady?: boolean; env?: Record<string, string> }): Promise<void>;
  close(): Promise<void>;
}

export interface SystemOptions {
  /** Store ids for which an edge agent runs. */
  readonly agents?: readonly string[];
  readonly hubEnv?: Record<string, string>;
  readonly agentEnv?: Record<string, string>;
}

/**
 * A whole system for one test file: a fresh database, its own topic prefix on the shared broker,
 * a real hub process and real edge-agent processes.
 */
export const startSystem = async (options: SystemOptions = {}): Promise<TestSystem> => {
  const id = randomBytes(4).toString("hex");
  const database = `t_${id}`;
  const topicPrefix = `t${id}.`;
  const admin = new pg.Client({ connectionString: infra.pgUrl("inventory") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database} OWNER inventory`);
  await admin.end();
  const databaseUrl = infra.pgUrl(database);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // Fault tests stop the server under this pool too.
  db.on("error", () => undefined);
  db.on("connect", (client) => client.on("error", () => undefined));
  const replicaDir = `${infra.dataDir()}/replicas`;
  mkdirSync(replicaDir, { recursive: true });
  const kafkaBrokers = infra.kafkaBrokers();
  const common = { KAFKA_BROKERS: kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix };

  const hubPort = await freePort();
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  let hub: ManagedProcess | undefined;
  const startHub = async () => {
    hub = await startProcess("hub", `hub-${id}`, hubPort, {
      ...common,
      DATABASE_URL: databaseUrl,
      ALLOW_DEV_TOKEN: "true",
      HUB_REPLICA_PATH: `${replicaDir}/hub-${id}.sqlite`,
      ...options.hubEnv,
    });
  };
  await startHub();

  const agents = new Map<string, { port: number; process?: ManagedProcess }>();
  const startAgent = async (storeId: string, agentOptions: { waitForReady?: boolean; env?: Record<string, string> } = {}) => {
    const entry = agents.get(storeId) ?? { port: await freePort() };
    agents.set(storeId, entry);
    entry.process = await startProcess(
      "edge-agent",
      `agent-${storeId}-${id}`,
      entry.port,
      {
        ...common,
        STORE_ID: storeId,
        HUB_URL: hubUrl,
        AGENT_TOKEN: tokenFor("agent", { stores: [storeId], subject: `agent-${storeId}`, expiresInSeconds: 3600 }),
        STATUS_REPORT_INTERVAL_MS: "500",
        AGENT_REPLICA_PATH: `${replicaDir}/agent-${storeId}-${id}.sqlite`,
        ...options.agentEnv,
        ...agentOptions.env,
      },
      { waitForReady: agentOptions.waitForReady },
    );
  };
  for (const storeId of options.agents ?? []) await startAgent(storeId);

  const agentUrl = (storeId: string) => {
    const entry = agents.get(storeId);
    if (!entry) throw new Error(`no agent for ${storeId}`);
    return `http://127.0.0.1:${entry.port}`;
  };

  return {
    hubUrl,
    hub: apiClient(hubUrl),
    agent: (storeId) => apiClient(agentUrl(storeId)),
    agentUrl,
    db,
    databaseUrl,
    topicPrefix,
    kafkaBrokers,
    hubPort,
    replicaDir,
    stopHub: async (signal) => {
      const code = await hub?.stop(signal);
      hub = undefined;
      return code;
    },
    startHub,
    stopAgent: async (storeId, signal) => {
      await agents.get(storeId)?.process?.stop(signal);
    },
    startAgent,
    close: async () => {
      await Promise.all([...agents.values()].map((a) => a.process?.stop()));
      await hub?.stop();
      await db.end();
    },
  };
};

/** Registers stores and products through the API, as the back office would. */
export const seedCatalog = async (
  system: TestSystem,
  stores: readonly string[],
  products: readonly { sku: string; perStore: Record<string, number> }[] = [],
) => {
  for (const storeId of stores) {
    const res = await system.hub.post("/v1/stores", { storeId, name: `Store ${storeId}` });
    if (res.status !== 201) throw new Error(`store ${storeId}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  for (const { sku, perStore } of products) {
    const res = await system.hub.post("/v1/products", { sku, name: `Product ${sku}`, initialOnHand: 0 });
    if (res.status !== 202) throw new Error(`product ${sku}: ${res.status} ${JSON.stringify(res.body)}`);
    for (const [storeId, units] of Object.entries(perStore)) {
      if (units === 0) continue;
      const adj = await system.hub.post("/v1/adjustments", { storeId, sku, delta: units, reason: "restock" });
      if (adj.status !== 202) throw new Error(`stock ${sku}@${storeId}: ${adj.status} ${JSON.stringify(adj.body)}`);
    }
  }
};
