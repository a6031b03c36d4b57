import { z } from "zod";
import { authEnvSchema, httpServerEnvSchema, kafkaSecurityEnvSchema, kafkaSecurityProblems } from "@inventory/platform";
import { webhookEnvSchema } from "./webhooks/webhook-env.js";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const csv = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Everything the hub reads from its environment, parsed once at start. Units are in the names. */
export const hubEnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().default("127.0.0.1"),
    DATABASE_URL: z.string().url().default("postgres://inventory:inventory@127.0.0.1:5432/inventory"),
    /**
     * A connection that keeps its session (PostgreSQL itself, or a PgBouncer pool in session mode) for what holds
     * one: the relay's leadership lock and LISTEN, and the migrations' lock. Needed when DATABASE_URL goes through
     * transaction pooling, which hands each transaction a different server connection. Default: DATABASE_URL.
     */
    DATABASE_SESSION_URL: z.string().url().optional(),
    KAFKA_BROKERS: csv.default(["127.0.0.1:9092"]),
    /** Prepended to every topic name, so several deployments can share one Kafka cluster. */
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]{0,40}$/)
      .default(""),
    KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
    KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
    /** Sustained writes per second per caller (token subject); 0 turns the limit off. */
    RATE_LIMIT_WRITES_PER_SECOND: z.coerce.number().min(0).default(500),
    RATE_LIMIT_WRITE_BURST: z.coerce.number().int().min(1).default(1000),
    /** Distinguishes hub processes sharing one database: names the replica and its consumer group. */
    HUB_INSTANCE_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .default("hub"),
    /** Where the hub keeps its read replica (a SQLite file), or :memory:. */
    HUB_REPLICA_PATH: z.string().default(".data/hub-replica.sqlite"),
    /** Seed the demo stores and SKUs when the database holds no store yet. */
    SEED_DEMO: bool.default(false),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** Upper bound on any one SQL statement. */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    /** Upper bound on waiting for a free pool connection or a new TCP connection to PostgreSQL. */
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
    /**
     * Group commit: concurrent commands on one SKU share a transaction (one commit for many). Lanes run side
     * by side, one pooled connection each; 0 gives every command a transaction of its own.
     */
    COMMAND_LANES: z.coerce.number().int().min(0).max(64).default(4),
    COMMAND_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(100),
    /** Commands waiting for a lane; past it, or past the wait, a command is refused with 503 without running. */
    COMMAND_QUEUE_MAX: z.coerce.number().int().min(1).default(10_000),
    COMMAND_QUEUE_WAIT_MS: z.coerce.number().int().min(10).default(5000),
    /** The relay's fallback poll, for a missed notification; commits wake it at once. */
    RELAY_IDLE_POLL_MS: z.coerce.number().int().min(10).default(1000),
    RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(500),
    /**
     * While Kafka cannot take events, commands still commit into the outbox; past either limit the hub
     * stops accepting writes (503) rather than let the stores' replicas fall further behind.
     */
    OUTBOX_MAX_BACKLOG: z.coerce.number().int().min(1).default(100_000),
    OUTBOX_MAX_BACKLOG_AGE_MS: z.coerce.number().int().min(100).default(60_000),
    /** How long a stored answer is replayed for its Idempotency-Key (24 h); after it a retry is a new request. */
    IDEMPOTENCY_RETENTION_MS: z.coerce.number().int().min(1000).default(86_400_000),
    /** How long published events stay in the outbox and so in `GET /v1/events` (7 days). */
    OUTBOX_RETENTION_MS: z.coerce.number().int().min(1000).default(604_800_000),
    /** Time between the sweeps that delete expired idempotency records and outbox rows. */
    RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
    /** Rows per DELETE statement of a sweep, so no sweep holds its locks long. */
    RETENTION_DELETE_BATCH: z.coerce.number().int().min(1).max(100_000).default(1000),
    /**
     * `retention.ms` of the event topics the hub creates: 7 days by default, -1 keeps every event. A fresh or
     * rebuilt replica loads the chain view and continues the events from the offsets it records, so it needs no
     * older history; the events timeline is served from PostgreSQL (`OUTBOX_RETENTION_MS`).
     */
    KAFKA_EVENT_RETENTION_MS: z.coerce.number().int().min(-1).default(604_800_000),
    /** `retention.ms` of the dead-letter topics the hub creates (30 days): `GET /v1/dlt` lists what they still hold. */
    KAFKA_DEAD_LETTER_RETENTION_MS: z.coerce.number().int().min(-1).default(2_592_000_000),
    /**
     * The chain view (a compacted topic of each stock item's latest state) is flushed at most once per this
     * interval across all hubs, so each key has at most one record per interval. 0 turns the chain view off.
     */
    AVAILABILITY_COALESCE_MS: z.coerce.number().int().min(0).default(1000),
    /** Most events one chain-view flush covers, so a flush after a long pause stays bounded. */
    CHAIN_VIEW_MAX_EVENTS_PER_FLUSH: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
    /** A sale an agent journaled offline and replays later is refused once it is older than this. */
    OFFLINE_MAX_AGE_HOURS: z.coerce.number().positive().max(8760).default(72),
    /** Longest wait for each step of a graceful stop (HTTP, relay, consumers, pool) before moving on. */
    SHUTDOWN_STEP_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /** Open the operator console signed in with the development token (needs ALLOW_DEV_TOKEN; `npm run dev` sets both). */
    CONSOLE_DEV_SIGN_IN: bool.default(false),
  })
  .extend(httpServerEnvSchema.shape)
  .extend(authEnvSchema.shape)
  .extend(kafkaSecurityEnvSchema.shape)
  .extend(webhookEnvSchema.shape);

export type HubEnv = z.infer<typeof hubEnvSchema>;

export const parseHubEnv = (env: NodeJS.ProcessEnv): HubEnv => {
  const parsed = hubEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid hub environment:\n${problems}`);
  }
  const kafkaProblems = kafkaSecurityProblems(parsed.data);
  if (kafkaProblems.length > 0) throw new Error(`invalid hub environment:\n${kafkaProblems.map((p) => `  ${p}`).join("\n")}`);
  if (parsed.data.COMMAND_LANES >= parsed.data.DB_POOL_SIZE) {
    throw new Error(
      "invalid hub environment:\n  COMMAND_LANES must be below DB_POOL_SIZE: the relay, the sweeper and single commands need connections too",
    );
  }
  return parsed.data;
};
