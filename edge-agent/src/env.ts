import { z } from "zod";
import { storeIdSchema } from "@inventory/shared";
import { authEnvSchema, httpServerEnvSchema, kafkaSecurityEnvSchema, kafkaSecurityProblems } from "@inventory/platform";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const csv = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Everything an edge agent reads from its environment, parsed once at start. Units are in the names. */
export const agentEnvSchema = z
  .object({
    /** The store this agent serves and forwards writes for. */
    STORE_ID: storeIdSchema,
    PORT: z.coerce.number().int().min(0).max(65535).default(8081),
    HOST: z.string().default("127.0.0.1"),
    HUB_URL: z.string().url().default("http://127.0.0.1:8080"),
    KAFKA_BROKERS: csv.default(["127.0.0.1:9092"]),
    /** Prepended to every topic name, so several deployments can share one Kafka cluster. */
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]{0,40}$/)
      .default(""),
    /** Where the agent keeps its replica; defaults to .data/agent-<STORE_ID>.sqlite. */
    AGENT_REPLICA_PATH: z.string().optional(),
    /** Longest wait for the hub's answer to one forwarded write. */
    HUB_TIMEOUT_MS: z.coerce.number().int().min(50).default(5000),
    /** Consecutive failures to reach the hub before writes are refused at once. */
    BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(3),
    /** How long writes are refused before one trial call goes to the hub again. */
    BREAKER_OPEN_MS: z.coerce.number().int().min(100).default(3000),
    /** The agent's own token (role `agent`, its store) for reporting its status to the hub; unset, it does not report. */
    AGENT_TOKEN: z.string().min(10).optional(),
    STATUS_REPORT_INTERVAL_MS: z.coerce.number().int().min(200).default(5000),
    /** Longest wait for each step of a graceful stop before moving on. */
    SHUTDOWN_STEP_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /**
     * Opt-in: while the hub is unreachable, sales and returns for this store are journaled durably and answered 202
     * (X-Offline-Queued), then replayed in order once the hub is back. Off: every write needs the hub, as designed.
     */
    OFFLINE_SALES: bool.default(false),
    /** Journal lines waiting for the hub beyond which a sale is refused with 503 again. */
    OFFLINE_MAX_QUEUED: z.coerce.number().int().min(1).default(10_000),
    /** Where the journal lives; defaults to .data/agent-<STORE_ID>-offline.sqlite. Not the replica's file: a rebuild replaces that. */
    OFFLINE_JOURNAL_PATH: z.string().optional(),
    /** How often the agent tries to replay a non-empty journal. */
    OFFLINE_REPLAY_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  })
  .extend(httpServerEnvSchema.shape)
  .extend(authEnvSchema.shape)
  .extend(kafkaSecurityEnvSchema.shape);

export type AgentEnv = z.infer<typeof agentEnvSchema>;

export const parseAgentEnv = (env: NodeJS.ProcessEnv): AgentEnv => {
  const parsed = agentEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid edge-agent environment:\n${problems}`);
  }
  const kafkaProblems = kafkaSecurityProblems(parsed.data);
  if (kafkaProblems.length > 0) throw new Error(`invalid edge-agent environment:\n${kafkaProblems.map((p) => `  ${p}`).join("\n")}`);
  return parsed.data;
};
