import { Hono } from "hono";
import { createProductRequestSchema, createStoreRequestSchema } from "@inventory/shared";
import type { CommandExecutor } from "../command-pipeline/execute-command.js";
import { createStore } from "./create-store.js";
import { createProduct } from "./create-product.js";
import { commandEndpoint, type HubRequestEnv } from "../command-pipeline/command-endpoint.js";

export const catalogRoutes = (execute: CommandExecutor) =>
  new Hono<HubRequestEnv>()
    .post(
      "/v1/stores",
      commandEndpoint(execute, createStoreRequestSchema, { action: "catalog:write" }, ({ body }) => createStore(body)),
    )
    .post(
      "/v1/products",
      commandEndpoint(execute, createProductRequestSchema, { action: "catalog:write" }, ({ body }) => createProduct(body)),
    );
