import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { eventTimelineQuerySchema, isFailure, reconciliationRequestSchema } from "@inventory/shared";
import { failureResponse, parseQuery } from "@inventory/read-model";
import type { Database } from "../db/database.js";
import type { CommandExecutor } from "../command-pipeline/execute-command.js";
import { reconcileStore } from "../stock/reconcile-store.js";
import { databaseUnavailable } from "../command-pipeline/database-failure.js";
import { commandEndpoint, type HubEnv } from "../command-pipeline/command-endpoint.js";
import { readEventTimeline } from "./event-timeline.js";

export const backOfficeRoutes = (execute: CommandExecutor, db: Database) =>
  new Hono<HubEnv>()
    .post(
      "/v1/reconciliations",
      commandEndpoint(execute, reconciliationRequestSchema, { action: "reconciliation" }, ({ body }) => reconcileStore(body, randomUUID())),
    )
    .get("/v1/events", async (c) => {
      const query = parseQuery(c, eventTimelineQuerySchema);
      if (isFailure(query)) return failureResponse(c, query);
      try {
        return c.json(await readEventTimeline(db, query));
      } catch (err) {
        const unavailable = databaseUnavailable(err);
        if (unavailable) return failureResponse(c, unavailable);
        throw err;
      }
    });
