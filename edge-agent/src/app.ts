import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { failure } from "@inventory/shared";
import {
  authenticate,
  measureRequests,
  metricsRoute,
  type Metrics,
  failureResponse,
  healthRoutes,
  notFound,
  onError,
  readRoutes,
  requestLog,
  traceId,
  type Logger,
  type ReadinessProbe,
  projectionRoutes,
  type ReplicaHandle,
  type AuthenticateOptions,
  type TraceVariables,
  stockStreamRoute,
  type StockChangeLog,
  type StockStreamOptions,
} from "@inventory/read-model";
import { forwardToHub, type HubForwarderOptions } from "./hub-forwarder.js";

export interface AgentAppDeps {
  readonly replica: ReplicaHandle;
  readonly readiness: ReadinessProbe;
  readonly hub: HubForwarderOptions;
  readonly maxBodyBytes: number;
  readonly log: Logger;
  /** How tokens are checked here: for the operator endpoints, and for reads when they require one. */
  readonly auth: AuthenticateOptions;
  /** Writes are checked by the hub, to which they go unchanged. */
  readonly readsRequireToken: boolean;
  readonly projectionName: string;
  readonly metrics: Metrics;
  /** Recent stock changes, served as `GET /v1/stream/stock`. */
  readonly stockChanges: StockChangeLog;
  readonly stream: StockStreamOptions;
}

/** A store's agent: reads from its own replica, writes forwarded to the hub unchanged. */
export const createAgentApp = (deps: AgentAppDeps) => {
  const app = new Hono<{ Variables: TraceVariables }>();
  app.use("*", traceId());
  app.use("*", requestLog(deps.log));
  app.use("*", measureRequests(deps.metrics));
  app.route("/", metricsRoute(deps.metrics, () => deps.metrics.projectionLag.set(deps.replica.freshness().lagMs(Date.now()))));
  app.route("/", healthRoutes(deps.readiness));
  app.route("/", projectionRoutes(deps.replica, { auth: deps.auth, name: deps.projectionName, statusRoute: true }));
  if (deps.readsRequireToken) app.on("GET", "/v1/*", authenticate(deps.auth));
  app.route("/", readRoutes(deps.replica));
  app.route("/", stockStreamRoute(deps.stockChanges, deps.stream));
  app.on(
    ["POST", "PUT", "PATCH", "DELETE"],
    "/v1/*",
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: (c) => failureResponse(c, failure("PAYLOAD_TOO_LARGE", `bodies are limited to ${deps.maxBodyBytes} bytes`)),
    }),
    forwardToHub(deps.hub),
  );
  app.notFound(notFound);
  app.onError(onError(deps.log));
  return app;
};
