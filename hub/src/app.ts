import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { failure } from "@inventory/shared";
import {
  failureResponse,
  healthRoutes,
  notFound,
  onError,
  readRoutes,
  requestLog,
  traceId,
  type Freshness,
  type Logger,
  type ReadinessProbe,
  type ReplicaStore,
} from "@inventory/read-model";
import type { CommandExecutor } from "./commands/execute-command.js";
import { requireBearerToken } from "./http/authenticate.js";
import type { HubEnv } from "./http/command-endpoint.js";
import { stockRoutes } from "./routes/stock-routes.js";
import { catalogRoutes } from "./routes/catalog-routes.js";
import { reservationRoutes } from "./routes/reservation-routes.js";
import { backOfficeRoutes } from "./routes/back-office-routes.js";
import { transferRoutes } from "./routes/transfer-routes.js";
import type { Database } from "./db/database.js";

export interface HubAppDeps {
  readonly execute: CommandExecutor;
  readonly db: Database;
  readonly replica: ReplicaStore;
  readonly freshness: Freshness;
  readonly readiness: ReadinessProbe;
  readonly token: string;
  readonly maxBodyBytes: number;
  readonly log: Logger;
}

/** The hub's HTTP surface: writes run against PostgreSQL; reads come from the hub's own replica. */
export const createHubApp = (deps: HubAppDeps) => {
  const app = new Hono<HubEnv>();
  app.use("*", traceId());
  app.use("*", requestLog(deps.log));
  app.on("POST", "/v1/*", bodyLimit({
    maxSize: deps.maxBodyBytes,
    onError: (c) => failureResponse(c, failure("PAYLOAD_TOO_LARGE", `bodies are limited to ${deps.maxBodyBytes} bytes`)),
  }));
  app.on("POST", "/v1/*", requireBearerToken(deps.token));
  app.route("/", healthRoutes(deps.readiness));
  app.route("/", stockRoutes(deps.execute));
  app.route("/", catalogRoutes(deps.execute));
  app.route("/", reservationRoutes(deps.execute));
  app.route("/", backOfficeRoutes(deps.execute, deps.db));
  app.route("/", transferRoutes(deps.execute));
  app.route("/", readRoutes(deps.replica, deps.freshness));
  app.notFound(notFound);
  app.onError(onError(deps.log));
  return app;
};
