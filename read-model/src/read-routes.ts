import { Hono, type Context } from "hono";
import {
  availabilityQuerySchema,
  failure,
  isFailure,
  productTotalsQuerySchema,
  recordIdSchema,
  skuSchema,
  storeIdSchema,
} from "@inventory/shared";
import { failureResponse } from "@inventory/platform";
import { parseParam, parseQuery } from "@inventory/platform";
import { jsonWithEtag, sendPreparedJson } from "@inventory/platform";
import { setResponseHeader } from "@inventory/platform";
import { availabilityBatchRoute } from "./availability-batch-route.js";
import { waitForConsistency } from "./consistency/wait-for-consistency.js";
import { answerLagMs, type LaggingReplica } from "./answer-lag.js";
import { availabilityAnswers, type AnswerAvailability } from "./availability-answer.js";

export const LAG_HEADER = "X-Projection-Lag-ms";

/**
 * The read API, identical on the hub and on every store agent, answered from the local replica only.
 * Every answer says how stale it may be (X-Projection-Lag-ms) and carries an ETag of its body. `answerAvailability`
 * is shared with any direct path that answers the same reads.
 */
export const readRoutes = (replica: LaggingReplica, answerAvailability: AnswerAvailability = availabilityAnswers(replica)) => {
  const app = new Hono();
  const paths = [
    "/v1/availability",
    "/v1/items/:sku/availability",
    "/v1/products/totals",
    "/v1/stores",
    "/v1/stores/:storeId",
    "/v1/reservations/:reservationId",
    "/v1/transfers/:transferId",
    "/v1/availability:batch",
  ];
  app.on("GET", paths, async (c, next) => {
    setResponseHeader(c, LAG_HEADER, String(replica.freshness().lagMs(Date.now())));
    await next();
  });
  app.on("GET", paths, waitForConsistency(replica, { lagHeader: LAG_HEADER }));

  app.route("/", availabilityBatchRoute(replica, LAG_HEADER));

  const availability = (c: Context, sku: string, storeId?: string) => {
    const found = answerAvailability(sku, storeId);
    if (isFailure(found)) return failureResponse(c, found);
    setResponseHeader(c, LAG_HEADER, String(found.lagMs));
    return sendPreparedJson(c, found.answer);
  };

  app.get("/v1/availability", (c) => {
    const query = parseQuery(c, availabilityQuerySchema);
    if (isFailure(query)) return failureResponse(c, query);
    return availability(c, query.sku, query.storeId);
  });

  app.get("/v1/items/:sku/availability", (c) => {
    const sku = parseParam(c.req.param("sku"), "sku", skuSchema);
    if (isFailure(sku)) return failureResponse(c, sku);
    return availability(c, sku);
  });

  app.get("/v1/products/totals", (c) => {
    const query = parseQuery(c, productTotalsQuerySchema);
    if (isFailure(query)) return failureResponse(c, query);
    const { items, total } = replica.store().productTotals(query);
    setResponseHeader(c, LAG_HEADER, String(answerLagMs(replica, "chain")));
    return jsonWithEtag(c, { items, page: query.page, size: query.size, total });
  });

  app.get("/v1/stores", (c) => jsonWithEtag(c, { items: replica.store().stores() }));

  app.get("/v1/stores/:storeId", (c) => {
    const storeId = parseParam(c.req.param("storeId"), "storeId", storeIdSchema);
    if (isFailure(storeId)) return failureResponse(c, storeId);
    const found = replica.store().store(storeId);
    return found ? jsonWithEtag(c, found) : failureResponse(c, failure("NOT_FOUND", `unknown store ${storeId}`));
  });

  app.get("/v1/transfers/:transferId", (c) => {
    const id = parseParam(c.req.param("transferId"), "transferId", recordIdSchema);
    if (isFailure(id)) return failureResponse(c, id);
    const found = replica.store().transfer(id);
    return found ? jsonWithEtag(c, found) : failureResponse(c, failure("NOT_FOUND", `unknown transfer ${id}`));
  });

  app.get("/v1/reservations/:reservationId", (c) => {
    const id = parseParam(c.req.param("reservationId"), "reservationId", recordIdSchema);
    if (isFailure(id)) return failureResponse(c, id);
    const found = replica.store().reservation(id);
    return found ? jsonWithEtag(c, found) : failureResponse(c, failure("NOT_FOUND", `unknown reservation ${id}`));
  });
  return app;
};
