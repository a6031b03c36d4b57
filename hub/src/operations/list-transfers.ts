import { and, desc, eq, getTableColumns, or, type SQL } from "drizzle-orm";
import { transferView, type TransferListPage, type TransferListQuery } from "@inventory/shared";
import type { Database } from "../db/database.js";
import { transfers } from "../db/schema.js";
import { transferFromRow } from "../transfers/transfer-rows.js";
import { beforeCursor, createdAtMicros, hasLineFor, olderThan, toPage } from "./list-page.js";

/** Transfers from the hub's own table, newest first; `storeId` matches either end. */
export const listTransfers = async (db: Database, query: TransferListQuery): Promise<TransferListPage> => {
  const filters: (SQL | undefined)[] = [];
  if (query.status !== undefined) filters.push(eq(transfers.status, query.status));
  if (query.storeId !== undefined) filters.push(or(eq(transfers.fromStore, query.storeId), eq(transfers.toStore, query.storeId)));
  if (query.sku !== undefined) filters.push(hasLineFor(transfers.lines, query.sku));
  if (query.olderThanSeconds !== undefined) filters.push(olderThan(transfers.createdAt, query.olderThanSeconds));
  if (query.cursor !== undefined) filters.push(beforeCursor(transfers.createdAt, transfers.transferId, query.cursor));
  const rows = await db
    .select({ ...getTableColumns(transfers), micros: createdAtMicros(transfers.createdAt) })
    .from(transfers)
    .where(and(...filters))
    .orderBy(desc(transfers.createdAt), desc(transfers.transferId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (r) => r.transferId, viewOf);
};

/** One transfer from the hub's own table, in the shape `GET /v1/transfers/{id}` answers; undefined when unknown. */
export const findTransfer = async (db: Database, transferId: string) => {
  const [row] = await db.select().from(transfers).where(eq(transfers.transferId, transferId));
  return row ? viewOf(row) : undefined;
};

const viewOf = (r: typeof transfers.$inferSelect) => transferView(transferFromRow(r));
