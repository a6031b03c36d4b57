import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { failure } from "@inventory/shared";
import {
  availabilityAnswers,
  directAvailabilityRead,
  LAG_HEADER,
  readRoutes,
  projectionRoutes,
  type ReplicaHandle,
  stockStreamRoute,
  type StockChangeLog,
  type StockStreamOptions,
} from "@inventory/read-model";
import {
  authenticate,
  metricsRoute,
  type Metrics,
  failureResponse,
  healthRoutes,
  notFound,
  observeRequests,
  onError,
  requestObserver,
  type DirectRoute,
  type Logger,
  type ReadinessProbe,
  type AuthenticateOptions,
  type TraceVariables,
} from "@inventory/platform";
import { forwardToHub, type HubForwarderOptions } from "./hub-forwarder.js";
import type { OfflineJournal } from "./offline/journal-store.js";
import type { OfflineSales } from "./offline/offline-sales.js";
import { offlineRoutes } from "./offline/offline-routes.js";
import { provisionalReads } from "./offline/provisional-reads.js";
import { FORWARDED_READ_PATHS, forwardMissingReads } from "./forward-missing-reads.js";

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
  /** Runs before each /metrics scrape. */
  readonly onScrape?: () => void;
  /** Present with OFFLINE_SALES: the journal that takes sales while the hub is unreachable. */
  readonly offline?: { readonly storeId: string; readonly sales: OfflineSales; readonly journal: OfflineJournal };
}

export interface AgentHttp {
  readonly app: Hono<{ Variables: TraceVariables }>;
  /**
   * The tills' hot read, `GET /v1/availability`, answered before routing when reads need no token; while offline
   * sales wait for the hub it stays with the routed path, which applies them.
   */
  readonly direct: DirectRoute | undefined;
}

/** A store's agent: reads from its own replica (a reservation or transfer it lacks, from the hub), writes forwarded to the hub unchanged. */
export const createAgentApp = (deps: AgentAppDeps): AgentHttp => {
  const observer = requestObserver(deps.log, deps.metrics);
  const answerAvailability = availabilityAnswers(deps.replica);
  const app = new Hono<{ Variables: TraceVariables }>();
  app.use("*", observeRequests(observer));
  app.route(
    "/",
    metricsRoute(deps.metrics, () => {
      deps.metrics.projectionLag.set(deps.replica.freshness().lagMs(Date.now()));
      deps.onScrape?.();
    }),
  );
  app.route("/", healthRoutes(deps.readiness));
  app.route("/", projectionRoutes(deps.replica, { auth: deps.auth, name: deps.projectionName, statusRoute: true }));
  if (deps.offline) app.route("/", offlineRoutes({ ...deps.offline, auth: deps.auth }));
  if (deps.readsRequireToken) app.on("GET", "/v1/*", authenticate(deps.auth));
  if (deps.offline)
    app.on(
      "GET",
      ["/v1/availability", "/v1/items/:sku/availability"],
      provisionalReads(deps.offline.storeId, deps.offline.journal, deps.replica),
    );
  app.on("GET", [...FORWARDED_READ_PATHS], forwardMissingReads(deps.hub));
  app.route("/", readRoutes(deps.replica, answerAvailability));
  app.route("/", stockStreamRoute(deps.stockChanges, deps.stream));
  app.on(
    ["POST", "PUT", "PATCH", "DELETE"],
    "/v1/*",
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: (c) => failureResponse(c, failure("PAYLOAD_TOO_LARGE", `bodies are limited to ${deps.maxBodyBytes} bytes`)),
    }),
    deps.offline
      ? deps.offline.sales.handle(forwardToHub({ ...deps.hub, whenUnreachable: deps.offline.sales.whenUnreachable }))
      : forwardToHub(deps.hub),
  );
  app.notFound(notFound);
  app.onError(onError(deps.log));
  const journal = deps.offline?.journal;
  const direct = deps.readsRequireToken
    ? undefined
    : directAvailabilityRead(answerAvailability, observer, { lagHeader: LAG_HEADER, enabled: () => !journal?.hasPending() });
  return { app, direct };
};
