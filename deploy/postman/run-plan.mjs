/**
 * What the generated collection cannot read from openapi.yaml: the order in which its requests run green top to
 * bottom against a fresh `npm run dev`, and the few requests that need more than their operation's examples.
 * An operation named nowhere here still gets a request (see build-collection.mjs, "unplanned operations").
 */

/** The run, in order. A step is an operationId, or `{ operationId, name }` for an operation sent a second time. */
export const runOrder = [
  "health",
  "ready",
  "listStores",
  "createStore",
  "getStore",
  "createProduct",
  "listProductTotals",
  "adjustStock",
  "setAbsoluteStock",
  "getAvailability",
  "getAvailabilityBatch",
  "getItemAvailability",
  "createReservation",
  "getReservation",
  "confirmReservation",
  { operationId: "createReservation", name: "Create a reservation to cancel" },
  "cancelReservation",
  "listReservations",
  "purchase",
  "createTransfer",
  "getTransfer",
  "receiveTransfer",
  "listTransfers",
  "reconcileStore",
  "getStoredAnswer",
  "listRecountRequired",
  "listEvents",
  "listDeadLetters",
  "offlineJournal",
  "getProjectionStatus",
  "metrics",
  "consolePage",
  "consoleAsset",
];

/** Run after every other request: they replace state (a replica rebuilt, a projection's report) that a later read would see. */
export const runLast = ["reportProjection", "replayDeadLetters", "rebuildProjection"];

/** In the collection but outside the run, each with the reason. */
export const notRun = {
  streamStockChanges:
    "a server-sent event stream that stays open until the client leaves, so a run would wait on it to the request timeout",
};

/**
 * Per operation: `base` (the URL variable), `pathValues`/`query` (values of parameters by name), `bodyFields` (set
 * over the request example's top-level fields) and `tests` (more test script lines). An override for an operation
 * that openapi.yaml does not have is left unused.
 */
export const overrides = {
  // A subscription's target must be reachable and allowed: the run's own host (deploy/test-postman.sh allows
  // 127.0.0.0/8 with WEBHOOK_ALLOW_PRIVATE_TARGETS; nothing listens on port 9, so deliveries fail and are retried).
  createWebhook: { bodyFields: { url: "http://127.0.0.1:9/hooks/stock" } },
  // The stored answer of the write sent just before (its key is kept by every write's pre-request script).
  getStoredAnswer: { pathValues: { key: "{{idempotencyKey}}" } },
  // The saga dispatches a transfer after it is recorded; a manual receipt needs it DISPATCHED.
  getTransfer: {
    tests: [
      'const attempts = Number(pm.collectionVariables.get("transferPolls") || 0);',
      'if (pm.response.json().status !== "DISPATCHED" && attempts < 50) {',
      '  pm.collectionVariables.set("transferPolls", attempts + 1);',
      "  setTimeout(() => {}, 200);",
      "  pm.execution.setNextRequest(pm.info.requestName);",
      "} else {",
      '  pm.collectionVariables.unset("transferPolls");',
      '  pm.test("the transfer is DISPATCHED", () => pm.expect(pm.response.json().status).to.equal("DISPATCHED"));',
      "}",
    ],
  },
  // The console page names its current asset files (their names carry a content hash).
  consolePage: {
    tests: [
      "const asset = pm.response.text().match(/\\/console\\/assets\\/([^\"'?\\s]+)/);",
      'pm.test("the page names an asset", () => pm.expect(asset).to.not.equal(null));',
      'if (asset) pm.collectionVariables.set("asset", asset[1]);',
    ],
  },
  consoleAsset: { pathValues: { asset: "{{asset}}" } },
};
