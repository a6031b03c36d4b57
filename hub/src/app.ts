import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { routePath } from "hono/route";
import { failure, type Failure } from "@inventory/shared";
import {
  authenticate,
  requireAction,
  failureResponse,
  measureRequests,
  metricsRoute,
  type Metrics,
  healthRoutes,
  rateLimitWrites,
  type AuthenticateOptions,
  type RateLimitOptions,
  notFound,
  onError,
  readRoutes,
  requestLog,
  traceId,
  type Logger,
  type ReadinessProbe,
  projectionRoutes,
  type ReplicaHandle,
  stockStreamRoute,
  type StockChangeLog,
  type StockStreamOptions,
} from "@inventory/read-model";
import type { CommandExecutor } from "./commands/execute-command.js";
import type { HubEnv } from "./http/command-endpoint.js";
import { stockRoutes } from "./routes/stock-routes.js";
import { recountRequiredRoutes } from "./routes/recount-required-routes.js";
import { catalogRoutes } from "./routes/catalog-routes.js";
import { reservationRoutes } from "./routes/reservation-routes.js";
import { backOfficeRoutes } from "./routes/back-office-routes.js";
import { transferRoutes } from "./routes/transfer-routes.js";
import { operationsRoutes, type OperationsDeps } from "./routes/operations-routes.js";
import type { Database } from "./db/database.js";
import { operatorListRoutes } from "./routes/operator-list-routes.js";
import { consoleRoutes, type ConsoleOptions } from "./routes/console-routes.js";
import { webhookRoutes, type WebhookRoutesDeps } from "./webhooks/webhook-routes.js";

export interface HubAppDeps {
  readonly execute: CommandExecutor;
  /** Replayed offline sales older than this are refused. */
  readonly offlineMaxAgeHours: number;
  readonly db: Database;
  readonly operations: OperationsDeps;
  readonly metrics: Metrics;
  /** Refreshes gauges read from elsewhere (the outbox backlog) before each scrape. */
  readonly beforeScrape: () => Promise<void>;
  /** Why writes must be refused right now (the outbox cannot drain), or undefined. */
  readonly writeGate: () => Failure | undefined;
  readonly replica: ReplicaHandle;
  readonly readiness: ReadinessProbe;
  readonly auth: AuthenticateOptions;
  readonly readsRequireToken: boolean;
  readonly rateLimit: RateLimitOptions;
  readonly maxBodyBytes: number;
  readonly log: Logger;
  /** The operator console at /console. */
  readonly console?: ConsoleOptions;
  /** Recent stock changes, served as `GET /v1/stream/stock`. */
  readonly stockChanges: StockChangeLog;
  readonly stream: StockStreamOptions;
  /** How `/v1/webhooks` checks a subscription's url. */
  readonly webhooks: Pick<WebhookRoutesDeps, "policy" | "resolveHost" | "resolveTimeoutMs">;
}

/** The hub's HTTP surface: writes run against PostgreSQL; reads come from the hub's own replica. */
export const createHubApp = (deps: HubAppDeps) => {
  const app = new Hono<HubEnv>();
  app.use("*", traceId());
  app.use("*", requestLog(deps.log));
  app.use("*", measureRequests(deps.metrics));
  app.on("POST", "/v1/*", async (c, next) => {
    await next();
    const code = c.get("outcomeCode") ?? (c.res.status < 400 ? "OK" : `HTTP_${c.res.status}`);
    deps.metrics.commandOutcomes.inc({ route: routePath(c, -1), code, replayed: String(c.get("replayed") ?? false) });
  });
  app.route("/", metricsRoute(deps.metrics, deps.beforeScrape));
  app.on(
    "POST",
    "/v1/*",
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: (c) => failureResponse(c, failure("PAYLOAD_TOO_LARGE", `bodies are limited to ${deps.maxBodyBytes} bytes`)),
    }),
  );
  // Operator endpoints first: their own authentication and role check, no write rate limit.
  app.route("/", operationsRoutes(deps.operations));
  app.route("/", operatorListRoutes(deps.db, deps.auth));
  app.route("/", webhookRoutes({ ...deps.webhooks, execute: deps.execute, db: deps.db, auth: deps.auth }));
  app.route("/", projectionRoutes(deps.replica, { auth: deps.auth, name: `hub:${deps.operations.instanceId}`, statusRoute: false }));
  app.on("POST", "/v1/*", authenticate(deps.auth), rateLimitWrites(deps.rateLimit), async (c, next) => {
    const closed = deps.writeGate();
    return closed ? failureResponse(c, closed) : next();
  });
  // The event log is an operator's tool: always behind a token.
  app.on("GET", "/v1/events", authenticate(deps.auth), requireAction("operations"));
  app.on("GET", "/v1/stock/recount-required", authenticate(deps.auth), requireAction("operations"));
  if (deps.readsRequireToken) app.on("GET", "/v1/*", authenticate(deps.auth));
  app.route("/", healthRoutes(deps.readiness));
  app.route("/", consoleRoutes(deps.console));
  app.route("/", stockRoutes(deps.execute, { offlineMaxAgeHours: deps.offlineMaxAgeHours }));
  app.route("/", recountRequiredRoutes(deps.db));
  app.route("/", catalogRoutes(deps.execute));
  app.route("/", reservationRoutes(deps.execute));
  app.route("/", backOfficeRoutes(deps.execute, deps.db));
  app.route("/", transferRoutes(deps.execute));
  app.route("/", readRoutes(deps.replica));
  app.route("/", stockStreamRoute(deps.stockChanges, deps.stream));
  app.notFound(notFound);
  app.onError(onError(deps.log));
  return app;
};
