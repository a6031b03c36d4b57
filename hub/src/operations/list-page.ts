import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { encodeListCursor, type ListCursor } from "@inventory/shared";

/** The creation time as whole microseconds, exact (a JavaScript Date would drop PostgreSQL's last three digits). */
export const createdAtMicros = (createdAt: AnyColumn) => sql<string>`(extract(epoch from ${createdAt}) * 1000000)::bigint`;

/** Rows strictly after the cursor in newest-first order, compared on (created_at, id) as PostgreSQL stores them. */
export const beforeCursor = (createdAt: AnyColumn, id: AnyColumn, cursor: ListCursor): SQL =>
  sql`(${createdAt}, ${id}) < (timestamptz 'epoch' + ${cursor.createdAtMicros}::bigint * interval '1 microsecond', ${cursor.id})`;

export const olderThan = (createdAt: AnyColumn, seconds: number): SQL => sql`${createdAt} <= now() - ${seconds}::int * interval '1 second'`;

/** Lines are `[{sku, qty}]` in jsonb: containment uses no parsing of its own and matches any line. */
export const hasLineFor = (lines: AnyColumn, sku: string): SQL => sql`${lines} @> ${JSON.stringify([{ sku }])}::jsonb`;

/** Cuts the extra row read to learn whether there is another page, and makes the cursor from the last row kept. */
export const toPage = <R extends { micros: string }, T>(rows: R[], limit: number, idOf: (row: R) => string, view: (row: R) => T) => {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last ? encodeListCursor({ createdAtMicros: Number(last.micros), id: idOf(last) }) : null,
  };
};
