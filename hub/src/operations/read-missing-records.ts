import type { MiddlewareHandler } from "hono";
import { jsonWithEtag, setResponseHeader, type Logger } from "@inventory/platform";
import { LAG_HEADER } from "@inventory/read-model";
import type { Database } from "../db/database.js";
import { findReservation } from "./list-reservations.js";
import { findTransfer } from "./list-transfers.js";

/** The reads a replica can miss a record for: the hub's replica holds only what the event topics still retain. */
export const DATABASE_BACKED_READ_PATHS = ["/v1/reservations/:reservationId", "/v1/transfers/:transferId"] as const;

/**
 * When the hub's replica answers 404 for a reservation or transfer, asks PostgreSQL, the source of truth, before
 * the 404 stands: a replica rebuilt from the chain view holds only the reservations and transfers whose events the
 * topics still retain (`KAFKA_EVENT_RETENTION_MS`), so an older one would otherwise be a false 404. The row is
 * answered as the replica would, with a lag of 0 (it is the committed state). An unreachable database leaves the
 * replica's 404, logged.
 */
export const readMissingRecords =
  (db: Database, log: Logger): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (c.res.status !== 404) return;
    const reservationId = c.req.param("reservationId");
    const transferId = c.req.param("transferId");
    const lookUp = reservationId ? findReservation(db, reservationId) : transferId ? findTransfer(db, transferId) : undefined;
    if (!lookUp) return;
    const found = await lookUp.catch((err: unknown) => {
      log.warn("PostgreSQL could not answer a read the replica lacks; answering from the replica", {
        path: c.req.path,
        error: String(err),
        traceId: c.get("traceId" as never),
      });
      return undefined;
    });
    if (!found) return;
    setResponseHeader(c, LAG_HEADER, "0");
    c.res = jsonWithEtag(c, found);
  };
