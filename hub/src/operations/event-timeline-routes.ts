import { Hono } from "hono";
import { eventTimelineQuerySchema, isFailure } from "@inventory/shared";
import { failureResponse, parseQuery } from "@inventory/platform";
import type { Database } from "../db/database.js";
import { databaseUnavailable } from "../command-pipeline/database-failure.js";
import type { HubRequestEnv } from "../command-pipeline/command-endpoint.js";
import { readEventTimeline } from "./event-timeline.js";

export const eventTimelineRoutes = (db: Database) =>
  new Hono<HubRequestEnv>().get("/v1/events", async (c) => {
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
