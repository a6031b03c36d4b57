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

/**
 * The pool as drizzle sees it, except for transactions. drizzle-orm's node-postgres session sends BEGIN
 * before the try/finally that gives the connection back, so a BEGIN that fails (PostgreSQL restarting, a
 * connection that died while idle) kept that connection checked out for good: a pool slot lost per crash,
 * and a stop that waited for it forever. Here the connection is taken and given back outside drizzle.
 */
export const createDatabase = (pool: pg.Pool): Database => {
  const db = drizzle(pool, { schema });
  const onConnection = new WeakMap<pg.PoolClient, Database>();
  const transaction: Database["transaction"] = async (run, config) => {
    const client = await pool.connect();
    try {
      let session = onConnection.get(client);
      if (!session) {
        session = drizzle(client, { schema }) as unknown as Database;
        onConnection.set(client, session);
      }
      return await session.transaction(run, config);
    } finally {
      // A connection that broke is not queryable any more, and the pool drops it instead of reusing it.
      client.release();
    }
  };
  return Object.assign(db, { transaction });
};
