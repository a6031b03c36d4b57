import { Hono } from "hono";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { available, isFailure, storeIdSchema } from "@inventory/shared";
import { failureResponse, parseQuery } from "@inventory/platform";
import type { Database } from "../db/database.js";
import { stockItems } from "../db/schema.js";
import { databaseUnavailable } from "../command-pipeline/database-failure.js";
import type { HubRequestEnv } from "../command-pipeline/command-endpoint.js";

const querySchema = z.object({
  storeId: storeIdSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional()
    .transform((v) => v ?? 100),
});

/** Operators' list of items an offline sale took below zero: each needs a recount, oldest first. */
export const recountRequiredRoutes = (db: Database) =>
  new Hono<HubRequestEnv>().get("/v1/stock/recount-required", async (c) => {
    const query = parseQuery(c, querySchema);
    if (isFailure(query)) return failureResponse(c, query);
    try {
      const rows = await db
        .select()
        .from(stockItems)
        .where(and(isNotNull(stockItems.recountRequiredSince), query.storeId ? eq(stockItems.storeId, query.storeId) : undefined))
        .orderBy(asc(stockItems.recountRequiredSince), asc(stockItems.storeId), asc(stockItems.sku))
        .limit(query.limit);
      return c.json({
        items: rows.map((r) => ({
          storeId: r.storeId,
          sku: r.sku,
          onHand: r.onHand,
          reserved: r.reserved,
          available: available(r),
          version: r.version,
          recountRequiredSince: r.recountRequiredSince!.toISOString(),
        })),
      });
    } catch (err) {
      const unavailable = databaseUnavailable(err);
      if (unavailable) return failureResponse(c, unavailable);
      throw err;
    }
  });
