import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, createPool, type Database } from "./database.js";
import { createScratchDatabase } from "../../test/scratch-database.js";

let url: string;
let pool: pg.Pool;
let db: Database;

beforeAll(async () => {
  url = await createScratchDatabase("db");
  // One connection: a transaction that kept it would leave the next one waiting until the connect timeout.
  pool = createPool({ url, poolSize: 1, statementTimeoutMs: 2000, connectTimeoutMs: 500 });
  db = createDatabase(pool);
});
afterAll(async () => {
  await pool?.end();
});

const checkedOut = () => pool.totalCount - pool.idleCount;

describe("transactions", () => {
  it("give their connection back when BEGIN itself fails", async () => {
    // An isolation level PostgreSQL does not know makes the BEGIN statement fail, as a dead connection would.
    const bogus = { isolationLevel: "no such level" } as unknown as Parameters<Database["transaction"]>[1];
    await expect(db.transaction(async () => 1, bogus)).rejects.toThrow();
    expect(checkedOut()).toBe(0);
    await expect(db.transaction(async (tx) => (await tx.execute(sql`SELECT 7 AS n`)).rows[0])).resolves.toEqual({ n: 7 });
  });

  it("give their connection back after the connection was killed under them, and the next one runs on a new one", async () => {
    const pid = await db.transaction(async (tx) =>
      Number((await tx.execute<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid),
    );
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    await expect(
      db.transaction(async (tx) => {
        await killer.query("SELECT pg_terminate_backend($1)", [pid]);
        await tx.execute(sql`SELECT pg_sleep(0.05)`);
      }),
    ).rejects.toThrow();
    await killer.end();
    expect(checkedOut()).toBe(0);
    const next = await db.transaction(async (tx) =>
      Number((await tx.execute<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid),
    );
    expect(next).not.toBe(pid);
  });

  it("commit what they did and roll back what failed", async () => {
    await db.execute(sql`CREATE TABLE IF NOT EXISTS t (n int)`);
    await db.transaction(async (tx) => tx.execute(sql`INSERT INTO t VALUES (1)`));
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO t VALUES (2)`);
        throw new Error("changed its mind");
      }),
    ).rejects.toThrow("changed its mind");
    expect((await db.execute<{ n: number }>(sql`SELECT n FROM t ORDER BY n`)).rows).toEqual([{ n: 1 }]);
  });
});
