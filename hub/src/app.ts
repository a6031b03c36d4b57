import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { failure, type Failure } from "@inventory/shared";
import {
  readRoutes,
  projectionRoutes,
  type ReplicaHandle,
  stockStreamRoute,
  type StockChangeLog,
  type StockStreamOptions,
} from "@inventory/read-model";
import {
  authenticate,
  countCommandOutcomes,
  requireAction,
  failureResponse,
  metricsRoute,
  type Metrics,
  healthRoutes,
  rateLimitWrites,
  type AuthenticateOptions,
  type RateLimitOptions,
  notFound,
  onError,
  requestObserver,
  observeRequests,
  type Logger,
  type ReadinessProbe,
} from "@inventory/platform";
import type { CommandExecutor } from "./command-pipeline/execute-command.js";
import type { HubRequestEnv } from "./command-pipeline/command-endpoint.js";
import { stockRoutes } from "./stock/stock-routes.js";
import { recountRequiredRoutes } from "./stock/recount-required-routes.js";
import { catalogRoutes } from "./catalog/catalog-routes.js";
import { reservationRoutes } from "./reservations/reservation-routes.js";
import { eventTimelineRoutes } from "./operations/event-timeline-routes.js";
import { transferRoutes } from "./transfers/transfer-routes.js";
import { operationsRoutes, type OperationsDeps } from "./operations/operations-routes.js";
import type { Database } from "./db/database.js";
import { operatorListRoutes } from "./operations/operator-list-routes.js";
import { DATABASE_BACKED_READ_PATHS, readMissingRecords } from "./operations/read-missing-records.js";
import { consoleRoutes, type ConsoleOptions } from "./operations/console-routes.js";
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
  const app = new Hono<HubRequestEnv>();
  app.use("*", observeRequests(requestObserver(deps.log, deps.metrics)));
  app.on("POST", "/v1/*", countCommandOutcomes(deps.metrics));
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
  app.route("/", eventTimelineRoutes(deps.db));
  app.route("/", transferRoutes(deps.execute));
  app.on("GET", [...DATABASE_BACKED_READ_PATHS], readMissingRecords(deps.db, deps.log));
  app.route("/", readRoutes(deps.replica));
  app.route("/", stockStreamRoute(deps.stockChanges, deps.stream));
  app.notFound(notFound);
  app.onError(onError(deps.log));
  return app;
};
