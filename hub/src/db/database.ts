import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import * as schema from "./schema.js";

export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** A pool whose every wait is bounded: connecting, statements, locks and idle transactions. */
export const createPool = (options: DatabaseOptions): pg.Pool => {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1000,
    lock_timeout: Math.min(options.statementTimeoutMs, 3000),
    idle_in_transaction_session_timeout: options.statementTimeoutMs * 2,
    keepAlive: true,
    application_name: "inventory-hub",
  });
  // A server that dies mid-session errors every open connection; idle ones are reported here and
  // checked-out ones to their own listener. Without the latter, Node would end the whole process.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
};

export const createDatabase = (pool: pg.Pool): Database => drizzle(pool, { schema });
