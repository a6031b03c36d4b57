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
  type Freshness,
  type Logger,
  type ReadinessProbe,
  type ReplicaStore,
  type AuthenticateOptions,
  type TraceVariables,
} from "@inventory/read-model";
import { forwardToHub, type HubForwarderOptions } from "./hub-forwarder.js";

export interface AgentAppDeps {
  readonly replica: ReplicaStore;
  readonly freshness: Freshness;
  readonly readiness: ReadinessProbe;
  readonly hub: HubForwarderOptions;
  readonly maxBodyBytes: number;
  readonly log: Logger;
  /** Set when reads must carry a valid token; writes are checked by the hub, to which they go unchanged. */
  readonly readAuth?: AuthenticateOptions;
  readonly metrics: Metrics;
}

/** A store's agent: reads from its own replica, writes forwarded to the hub unchanged. */
export const createAgentApp = (deps: AgentAppDeps) => {
  const app = new Hono<{ Variables: TraceVariables }>();
  app.use("*", traceId());
  app.use("*", requestLog(deps.log));
  app.use("*", measureRequests(deps.metrics));
  app.route("/", metricsRoute(deps.metrics, () => deps.metrics.projectionLag.set(deps.freshness.lagMs(Date.now()))));
  app.route("/", healthRoutes(deps.readiness));
  if (deps.readAuth) app.on("GET", "/v1/*", authenticate(deps.readAuth));
  app.route("/", readRoutes(deps.replica, deps.freshness));
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
