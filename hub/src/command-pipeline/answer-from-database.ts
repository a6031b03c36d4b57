import type { Context } from "hono";
import { failureResponse } from "@inventory/platform";
import { databaseUnavailable } from "./database-failure.js";

/** Runs a read of PostgreSQL for a request: an unreachable database is answered 503, anything else is thrown on. */
export const answerFromDatabase = async (c: Context, run: () => Promise<Response>): Promise<Response> => {
  try {
    return await run();
  } catch (err) {
    const unavailable = databaseUnavailable(err);
    if (unavailable) return failureResponse(c, unavailable);
    throw err;
  }
};
