import { Hono } from "hono";
import { availabilityBatchQuerySchema, availabilityResponse, failure, isFailure, type AvailabilityResponse } from "@inventory/shared";
import { answerLagMs, type LaggingReplica } from "./answer-lag.js";
import { setResponseHeader } from "@inventory/platform";
import { failureResponse } from "@inventory/platform";
import { parseQuery } from "@inventory/platform";
import { jsonWithEtag } from "@inventory/platform";

/**
 * `GET /v1/availability:batch?skus=A1,B2&storeId=`: the availability of up to 200 SKUs in one answer with one ETag,
 * each item the shape of `GET /v1/availability`, and the SKUs the replica does not know in `notFound`.
 */
export const availabilityBatchRoute = (replica: LaggingReplica, lagHeader: string) => {
  const app = new Hono();
  app.get("/v1/availability:batch", (c) => {
    const query = parseQuery(c, availabilityBatchQuerySchema);
    if (isFailure(query)) return failureResponse(c, query);
    const store = replica.store();
    if (query.storeId !== undefined && !store.storeExists(query.storeId))
      return failureResponse(c, failure("NOT_FOUND", `unknown store ${query.storeId}`));
    const items: AvailabilityResponse[] = [];
    const notFound: string[] = [];
    for (const sku of query.skus) {
      const rows = store.availability(sku, query.storeId);
      if (rows === undefined) notFound.push(sku);
      else items.push(availabilityResponse(sku, rows));
    }
    setResponseHeader(c, lagHeader, String(answerLagMs(replica, query.storeId === undefined ? "chain" : [query.storeId])));
    return jsonWithEtag(c, { items, notFound });
  });
  return app;
};
