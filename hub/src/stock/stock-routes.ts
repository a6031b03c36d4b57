import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import {
  adjustStock,
  adjustmentRequestSchema,
  purchaseRequestSchema,
  reconciliationRequestSchema,
  recountStock,
  setAbsoluteRequestSchema,
} from "@inventory/shared";
import type { CommandExecutor } from "../command-pipeline/execute-command.js";
import { changeStockItem } from "./change-stock-item.js";
import { offlineAdjustment } from "./offline-adjustment.js";
import { purchase } from "./purchase.js";
import { reconcileStore } from "./reconcile-store.js";
import { commandEndpoint, type HubRequestEnv } from "../command-pipeline/command-endpoint.js";

export interface StockRouteOptions {
  /** Replayed offline sales older than this are refused (OFFLINE_MAX_AGE_HOURS). */
  readonly offlineMaxAgeHours: number;
}

export const stockRoutes = (execute: CommandExecutor, options: StockRouteOptions) =>
  new Hono<HubRequestEnv>()
    .post(
      "/v1/adjustments",
      commandEndpoint(
        execute,
        adjustmentRequestSchema,
        { action: "stock:adjust", store: (b) => b.storeId, batchKey: (b) => b.sku },
        ({ body, expectedVersion }) =>
          body.offline && body.occurredAt !== undefined
            ? offlineAdjustment(
                body.storeId,
                body.sku,
                { delta: body.delta, reason: body.reason, occurredAt: body.occurredAt },
                options.offlineMaxAgeHours,
              )
            : changeStockItem(body.storeId, body.sku, (item) =>
                adjustStock(item, { delta: body.delta, reason: body.reason, expectedVersion }),
              ),
      ),
    )
    .post(
      "/v1/items:set-absolute",
      commandEndpoint(
        execute,
        setAbsoluteRequestSchema,
        { action: "stock:recount", store: (b) => b.storeId, batchKey: (b) => b.sku },
        ({ body, expectedVersion }) =>
          changeStockItem(body.storeId, body.sku, (item) =>
            recountStock(item, { onHand: body.onHand, countRef: body.countRef ?? null, expectedVersion }),
          ),
      ),
    )
    .post(
      "/v1/purchase",
      commandEndpoint(execute, purchaseRequestSchema, { action: "purchase", batchKey: (b) => b.sku }, ({ body }) => purchase(body)),
    )
    .post(
      "/v1/reconciliations",
      commandEndpoint(execute, reconciliationRequestSchema, { action: "reconciliation" }, ({ body }) => reconcileStore(body, randomUUID())),
    );
