import { Hono, type Context } from "hono";
import { isFailure, reservationListQuerySchema, transferListQuerySchema } from "@inventory/shared";
import { authenticate, failureResponse, parseQuery, requireAction, type AuthenticateOptions } from "@inventory/platform";
import type { Database } from "../db/database.js";
import type { HubRequestEnv } from "../command-pipeline/command-endpoint.js";
import { answerFromDatabase } from "../command-pipeline/answer-from-database.js";
import { listReservations } from "./list-reservations.js";
import { listTransfers } from "./list-transfers.js";

const fromDatabase = (c: Context<HubRequestEnv>, run: () => Promise<unknown>) => answerFromDatabase(c, async () => c.json(await run()));

/** Head office's lists of reservations and transfers, read from PostgreSQL: an operator's tool, always behind a token. */
export const operatorListRoutes = (db: Database, auth: AuthenticateOptions) =>
  new Hono<HubRequestEnv>()
    .get("/v1/reservations", authenticate(auth), requireAction("operations"), (c) => {
      const query = parseQuery(c, reservationListQuerySchema);
      return isFailure(query) ? failureResponse(c, query) : fromDatabase(c, () => listReservations(db, query));
    })
    .get("/v1/transfers", authenticate(auth), requireAction("operations"), (c) => {
      const query = parseQuery(c, transferListQuerySchema);
      return isFailure(query) ? failureResponse(c, query) : fromDatabase(c, () => listTransfers(db, query));
    });
