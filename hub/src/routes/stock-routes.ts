import { Hono } from "hono";
import { adjustStock, adjustmentRequestSchema, recountStock, setAbsoluteRequestSchema } from "@inventory/shared";
import type { CommandExecutor } from "../commands/execute-command.js";
import { changeStockItem } from "../commands/change-stock-item.js";
import { commandEndpoint, type HubEnv } from "../http/command-endpoint.js";

export const stockRoutes = (execute: CommandExecutor) =>
  new Hono<HubEnv>()
    .post(
      "/v1/adjustments",
      commandEndpoint(execute, adjustmentRequestSchema, { action: "stock:adjust", store: (b) => b.storeId, batchKey: (b) => b.sku }, ({ body, expectedVersion }) =>
        changeStockItem(body.storeId, body.sku, (item) => adjustStock(item, { delta: body.delta, reason: body.reason, expectedVersion })),
      ),
    )
    .post(
      "/v1/items:set-absolute",
      commandEndpoint(execute, setAbsoluteRequestSchema, { action: "stock:recount", store: (b) => b.storeId, batchKey: (b) => b.sku }, ({ body, expectedVersion }) =>
        changeStockItem(body.storeId, body.sku, (item) =>
          recountStock(item, { onHand: body.onHand, countRef: body.countRef ?? null, expectedVersion }),
        ),
      ),
    );
