import { Hono, type Context } from "hono";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { authorize, failure, idempotencyKeySchema, isFailure, labelSchema, storeIdSchema, TOPICS, type Failure } from "@inventory/shared";
import type { ReplicaHandle } from "@inventory/read-model";
import {
  authenticate,
  requireAction,
  failureResponse,
  isPublishFailure,
  isReadToEndFailure,
  parseJsonBody,
  parseParam,
  parseQuery,
  type AuthenticateOptions,
} from "@inventory/platform";
import type { Database } from "../db/database.js";
import { idempotencyRecords } from "../db/schema.js";
import type { HubRequestEnv } from "../command-pipeline/command-endpoint.js";
import type { DeadLetterQueue } from "./dead-letter-queue.js";
import type { OutboxRelay } from "../outbox/outbox-relay.js";
import { databaseUnavailable } from "../command-pipeline/database-failure.js";

const topicSchema = z.enum(Object.values(TOPICS) as [string, ...string[]]);
const dltQuerySchema = z.object({
  topic: topicSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional()
    .transform((v) => v ?? 100),
});
const replaySchema = z.strictObject({
  topic: topicSchema,
  messageIds: z
    .array(z.string().regex(/^(\d{1,5}-\d{1,19}|outbox-\d{1,19})$/))
    .min(1)
    .max(1000),
});
const reportSchema = z.object({
  projection: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
  storeId: storeIdSchema,
  state: z.string().max(20),
  lagMs: z.number().int().min(0),
  caughtUp: z.boolean(),
  lastError: z.string().max(1000).nullable(),
  eventsApplied: z.number().int().min(0),
  rebuild: z.object({ state: z.string().max(20) }).passthrough(),
  breaker: z.enum(["CLOSED", "OPEN", "HALF_OPEN"]).optional(),
  partitions: z
    .array(
      z
        .object({
          topic: z.string().max(300),
          partition: z.number().int(),
          nextOffset: z.number().int(),
          lastEventAt: z.string().nullable(),
        })
        .passthrough(),
    )
    .max(1000),
  /** An agent with OFFLINE_SALES: its journal of sales waiting for the hub. */
  offline: z
    .object({
      queued: z.number().int().min(0),
      refused: z.number().int().min(0),
      oldestQueuedAt: z.string().max(40).nullable(),
      replaying: z.boolean(),
      lastReplayAt: z.string().max(40).nullable(),
    })
    .optional(),
});

/** More stores than any chain has; keeps the report map bounded. */
const MAX_REPORTED_AGENTS = 10_000;

/** An agent that has not reported for this long is shown as UNREACHABLE. */
export const REPORT_STALE_MS = 15_000;

export type AgentReport = z.infer<typeof reportSchema> & { reportedAt: number };
/** The last report of each agent, by projection name (`agent-<storeId>`); the hub's /metrics reads it too. */
export type AgentReports = Map<string, AgentReport>;

export interface OperationsDeps {
  readonly db: Database;
  readonly auth: AuthenticateOptions;
  readonly deadLetters: DeadLetterQueue;
  readonly replica: ReplicaHandle;
  readonly relay: OutboxRelay;
  readonly instanceId: string;
  readonly reports?: AgentReports;
}

/** The head-office operators' endpoints: dead letters, stored idempotent answers, projection status. */
export const operationsRoutes = (deps: OperationsDeps) => {
  const app = new Hono<HubRequestEnv>();
  const reports: AgentReports = deps.reports ?? new Map();
  app.post("/v1/projections/report", authenticate(deps.auth), async (c) => {
    const body = await parseJsonBody(c, reportSchema);
    if (isFailure(body)) return failureResponse(c, body);
    const notHere = authorize(c.get("principal"), "projection:report", body.storeId);
    if (notHere) return failureResponse(c, notHere);
    if (body.projection !== `agent-${body.storeId}`) {
      return failureResponse(c, failure("VALIDATION_ERROR", `an agent reports as agent-${body.storeId}`));
    }
    if (!reports.has(body.projection) && reports.size >= MAX_REPORTED_AGENTS) reports.delete(reports.keys().next().value!);
    reports.set(body.projection, { ...body, reportedAt: Date.now() });
    return c.json({ received: body.projection }, 202);
  });
  for (const path of ["/v1/dlt", "/v1/dlt/*", "/v1/idempotency/*", "/v1/projections/status"]) {
    app.use(path, authenticate(deps.auth), requireAction("operations"));
  }
  const guarded = async (c: Context<HubRequestEnv>, run: () => Promise<Response>) => {
    try {
      return await run();
    } catch (err) {
      const unavailable: Failure | undefined = databaseUnavailable(err);
      if (unavailable) return failureResponse(c, unavailable);
      if ((err instanceof Error && err.name.startsWith("KafkaJS")) || isPublishFailure(err) || isReadToEndFailure(err)) {
        return failureResponse(
          c,
          failure("UNAVAILABLE", "Kafka did not answer; retry later", { retryAfterSeconds: 2, dependency: "kafka" }),
        );
      }
      throw err;
    }
  };

  app.get("/v1/dlt", (c) => {
    const query = parseQuery(c, dltQuerySchema);
    if (isFailure(query)) return failureResponse(c, query);
    return guarded(c, async () =>
      c.json({ items: await deps.deadLetters.list(query.topic ? [query.topic] : Object.values(TOPICS), query.limit) }),
    );
  });

  app.post("/v1/dlt/replay", async (c) => {
    const body = await parseJsonBody(c, replaySchema);
    if (isFailure(body)) return failureResponse(c, body);
    return guarded(c, async () => c.json(await deps.deadLetters.replay(body.topic, body.messageIds, c.get("principal").subject), 202));
  });

  app.get("/v1/idempotency/:key", (c) => {
    const key = parseParam(c.req.param("key"), "key", idempotencyKeySchema);
    if (isFailure(key)) return failureResponse(c, key);
    const scope = parseParam(c.req.query("scope") ?? c.get("principal").subject, "scope", labelSchema(200));
    if (isFailure(scope)) return failureResponse(c, scope);
    return guarded(c, async () => {
      const [record] = await deps.db
        .select()
        .from(idempotencyRecords)
        .where(and(eq(idempotencyRecords.scope, scope), eq(idempotencyRecords.key, key)));
      if (!record) return failureResponse(c, failure("NOT_FOUND", `no stored answer for key ${key} of ${scope}`));
      const stored = record.response as { body: unknown; headers: Record<string, string> };
      return c.json({
        key,
        scope,
        fingerprint: record.fingerprint,
        status: record.statusCode,
        response: stored.body,
        headers: stored.headers,
        createdAt: record.createdAt.toISOString(),
      });
    });
  });

  app.get("/v1/projections/status", (c) =>
    guarded(c, async () => {
      const feed = deps.replica.status();
      const relay = deps.relay.status();
      const backlog = await deps.relay.backlog().catch(() => undefined);
      return c.json({
        projections: [
          {
            projection: `hub:${deps.instanceId}`,
            state: feed.rebuild.state === "REBUILDING" ? "REBUILDING" : feed.state,
            rebuild: feed.rebuild,
            lagMs: feed.lagMs,
            caughtUp: feed.caughtUp,
            lastError: feed.lastError,
            partitions: deps.replica.store().positions(),
          },
          ...[...reports.values()].map(({ reportedAt, ...report }) => ({
            ...report,
            state: Date.now() - reportedAt > REPORT_STALE_MS ? "UNREACHABLE" : report.state,
            reportedAt: new Date(reportedAt).toISOString(),
          })),
        ],
        outbox: {
          ...relay,
          backlog: backlog?.size ?? null,
          oldestUnpublishedAgeMs: backlog?.oldestAgeMs ?? null,
          deadLettered: backlog?.deadLettered ?? null,
        },
      });
    }),
  );
  return app;
};
