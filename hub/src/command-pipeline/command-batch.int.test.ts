import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adjustStock, failure, type Principal } from "@inventory/shared";
import type { Database } from "../db/database.js";
import { openMigratedScratchDatabase, seedFreshItem } from "../../test/scratch-database.js";
import { changeStockItem } from "../stock/change-stock-item.js";
import { purchase } from "../stock/purchase.js";
import { sqlCommand, type Command, type SqlCommand } from "./command.js";
import { runCommandBatch, type BatchOutcome, type QueuedCommand } from "./command-batch.js";

const principal: Principal = { subject: "till-1", roles: ["clerk"], stores: ["S1"] };
let pool: pg.Pool;
let db: Database;
let sku: string;

const deps = () => ({ db, now: () => new Date(), newId: randomUUID });
const adjust = (delta: number): Command =>
  changeStockItem("S1", sku, (item) => adjustStock(item, { delta, reason: "manual", expectedVersion: undefined }));
const command = (key: string, command: Command, fingerprint = `fp-${key}`): QueuedCommand => ({
  request: { principal, idempotency: { scope: principal.subject, key, fingerprint }, traceId: `trace-${key}` },
  command,
});
/** A SQL command that changes the item and then meets a database error, as a bug or a lost race would. */
const changesThenFails = (sqlState: string): SqlCommand =>
  sqlCommand(async (ctx) => {
    await ctx.tx.execute(sql`UPDATE stock_items SET on_hand = on_hand + 100 WHERE store_id = 'S1' AND sku = ${sku}`);
    await ctx.tx.execute(sql.raw(`DO $$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '${sqlState}'; END $$`));
    return { status: 202, body: {} };
  });
/** A SQL command that changes the item and then decides to refuse, so that its rollback must undo a change. */
const changesThenRefuses = sqlCommand(async (ctx) => {
  await ctx.tx.execute(sql`UPDATE stock_items SET on_hand = on_hand + 100 WHERE store_id = 'S1' AND sku = ${sku}`);
  return failure("VERSION_CONFLICT", "changed its mind");
});
const onHand = async () =>
  Number((await pool.query("SELECT on_hand FROM stock_items WHERE store_id = 'S1' AND sku = $1", [sku])).rows[0]?.on_hand);
const storedKeys = async () =>
  (await pool.query("SELECT key, status_code FROM idempotency_records WHERE scope = $1 ORDER BY key", [principal.subject])).rows.map(
    (r) => `${r.key}:${r.status_code}`,
  );
const eventsFor = async () => Number((await pool.query("SELECT count(*)::int AS n FROM outbox WHERE sku = $1", [sku])).rows[0].n);
const kinds = (outcomes: BatchOutcome[]) =>
  outcomes.map((o) =>
    o.kind === "reply" ? `${o.reply.status}${o.replayed ? " replayed" : ""}` : o.kind === "refused" ? o.failure.code : o.kind,
  );

beforeAll(async () => {
  ({ pool, db } = await openMigratedScratchDatabase("batch"));
});
afterAll(async () => {
  await pool?.end();
});
beforeEach(async () => {
  sku = await seedFreshItem(pool);
});

describe("a batch of commands in one transaction", () => {
  it("keeps every command's own outcome: a failing command rolls back only itself", async () => {
    const outcomes = await runCommandBatch(deps(), [
      command("a", adjust(5)),
      command("b", adjust(-1000)),
      command("c", changesThenFails("22012")),
      command("d", changesThenFails("40P01")),
      command("e", adjust(7)),
    ]);
    expect(kinds(outcomes)).toEqual(["202", "409", "error", "retry", "202"]);
    expect(await onHand()).toBe(22);
    // Answers are stored for decided outcomes only; the others run again when retried.
    expect(await storedKeys()).toEqual(["a:202", "b:409", "e:202"]);
    expect(await eventsFor()).toBe(2);
    const versions = outcomes.flatMap((o) =>
      o.kind === "reply" && o.reply.status === 202 ? [(o.reply.body as { version: number }).version] : [],
    );
    expect(versions).toEqual([2, 3]);
  });

  it("replays a stored answer, refuses a key reused for another request, and a key another transaction holds", async () => {
    await runCommandBatch(deps(), [command("a", adjust(1))]);
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
        `${principal.subject.length}:${principal.subject}:busy`,
      ]);
      const outcomes = await runCommandBatch(deps(), [command("a", adjust(1)), command("a2", adjust(2)), command("busy", adjust(3))]);
      expect(kinds(outcomes)).toEqual(["202 replayed", "202", "IDEMPOTENCY_KEY_IN_USE"]);
      const reused = await runCommandBatch(deps(), [command("a", adjust(1), "another request")]);
      expect(kinds(reused)).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
    expect(await onHand()).toBe(13);
    expect(await eventsFor()).toBe(2);
  });

  it("answers nothing as done when the transaction cannot commit: every command is refused and nothing is kept", async () => {
    const dropsConnection = sqlCommand(async (ctx) => {
      await ctx.tx.execute(sql`SELECT pg_terminate_backend(pg_backend_pid())`);
      return { status: 202, body: {} };
    });
    const outcomes = await runCommandBatch(deps(), [command("a", adjust(5)), command("b", dropsConnection), command("c", adjust(7))]);
    expect(outcomes.map((o) => o.kind)).toEqual(["refused", "refused", "refused"]);
    expect(await onHand()).toBe(10);
    expect(await storedKeys()).toEqual([]);
    expect(await eventsFor()).toBe(0);
  });

  it("given a connection lost during COMMIT, when the batch is answered, then its 503 says the commands may have been applied; lost before COMMIT, that nothing was", async () => {
    const lost = Object.assign(new Error("Connection terminated unexpectedly"), { code: undefined });
    const failing = (atCommit: boolean): Database =>
      Object.assign(Object.create(db) as Database, {
        transaction: (async (run) => {
          if (!atCommit) throw lost;
          // The batch runs to its end, then the answer to COMMIT is lost (and here nothing commits).
          await db.transaction(async (tx) => {
            await run(tx);
            throw lost;
          });
        }) as Database["transaction"],
      });
    const atCommit = await runCommandBatch({ ...deps(), db: failing(true) }, [command("x", adjust(1)), command("y", adjust(2))]);
    const before = await runCommandBatch({ ...deps(), db: failing(false) }, [command("z", adjust(1))]);
    const messages = [...atCommit, ...before].map((o) => (o.kind === "refused" ? `${o.failure.code}: ${o.failure.message}` : o.kind));
    expect(messages[0]).toMatch(/^UNAVAILABLE: .*committing; it may have been applied: retry with the same Idempotency-Key/);
    expect(messages[1]).toBe(messages[0]);
    expect(messages[2]).toMatch(/^UNAVAILABLE: .*nothing was changed/);
    expect(await onHand()).toBe(10);
  });

  it("given refused commands in the middle and at the end of a batch, when it commits, then each refusal's changes are undone and its neighbours' kept", async () => {
    const outcomes = await runCommandBatch(deps(), [
      command("r1", changesThenRefuses),
      command("a", adjust(5)),
      command("r2", changesThenRefuses),
      command("r3", changesThenRefuses),
      command("b", adjust(2)),
      command("r4", changesThenRefuses),
    ]);
    expect(kinds(outcomes)).toEqual(["409", "202", "409", "409", "202", "409"]);
    expect(await onHand()).toBe(17);
    expect(await storedKeys()).toEqual(["a:202", "b:202", "r1:409", "r2:409", "r3:409", "r4:409"]);
    expect(await eventsFor()).toBe(2);
  });

  it("given a store emptied by another transaction while a round-robin purchase waits for the SKU's rows, when it holds them, then it sells from the next store", async () => {
    await pool.query("INSERT INTO stores (store_id, name) VALUES ('S2', 'two') ON CONFLICT DO NOTHING");
    await pool.query("UPDATE stock_items SET on_hand = 50 WHERE store_id = 'S1' AND sku = $1", [sku]);
    await pool.query("INSERT INTO stock_items (store_id, sku, on_hand, reserved, version) VALUES ('S2', $1, 5, 0, 1)", [sku]);
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("UPDATE stock_items SET on_hand = 0, version = version + 1 WHERE store_id = 'S1' AND sku = $1", [sku]);
      const buying = runCommandBatch(deps(), [command("buy", purchase({ sku, qty: 3, policy: "round-robin" }))]);
      // Before the holder commits, S1 could sell: the purchase waits for the SKU's rows.
      await new Promise((r) => setTimeout(r, 300));
      await holder.query("COMMIT");
      const outcomes = await buying;
      expect(kinds(outcomes)).toEqual(["202"]);
      expect(outcomes[0]!.kind === "reply" && outcomes[0]!.reply.body).toMatchObject({ storeId: "S2", onHand: 2, policy: "round-robin" });
    } finally {
      holder.release();
    }
    const rows = (await pool.query("SELECT store_id, on_hand FROM stock_items WHERE sku = $1 ORDER BY store_id", [sku])).rows;
    expect(rows).toEqual([
      { store_id: "S1", on_hand: 0 },
      { store_id: "S2", on_hand: 2 },
    ]);
    expect(await eventsFor()).toBe(1);
  });

  it("given stock commands naming items that never held stock, when the batch commits, then a known pair starts at zero and an unknown store or SKU is NOT_FOUND", async () => {
    await pool.query("INSERT INTO stores (store_id, name) VALUES ('S2', 'two') ON CONFLICT DO NOTHING");
    const adjustAt = (storeId: string, itemSku: string, delta: number) =>
      changeStockItem(storeId, itemSku, (item) => adjustStock(item, { delta, reason: "restock", expectedVersion: undefined }));
    const outcomes = await runCommandBatch(deps(), [
      command("new", adjustAt("S2", sku, 4)),
      command("again", adjustAt("S2", sku, 1)),
      command("no-store", adjustAt("S9", sku, 1)),
      command("no-sku", adjustAt("S1", "NO-SUCH-SKU", 1)),
      command("neither", adjustAt("S9", "NO-SUCH-SKU", 1)),
      command("buy-unknown", purchase({ sku: "NO-SUCH-SKU", qty: 1, policy: "highest-available" })),
    ]);
    expect(kinds(outcomes)).toEqual(["202", "202", "404", "404", "404", "404"]);
    const body = (i: number) => (outcomes[i]!.kind === "reply" ? (outcomes[i]!.reply.body as Record<string, unknown>) : {});
    expect([body(0).onHand, body(0).version, body(1).onHand, body(1).version]).toEqual([4, 1, 5, 2]);
    expect([body(2).message, body(3).message, body(4).message, body(5).message]).toEqual([
      "unknown store S9",
      "unknown sku NO-SUCH-SKU",
      "unknown store S9",
      "unknown sku NO-SUCH-SKU",
    ]);
    const rows = (await pool.query("SELECT store_id, on_hand, version FROM stock_items WHERE sku = $1 ORDER BY store_id", [sku])).rows;
    expect(rows).toEqual([
      { store_id: "S1", on_hand: 10, version: 1 },
      { store_id: "S2", on_hand: 5, version: 2 },
    ]);
    expect(
      Number((await pool.query("SELECT count(*)::int AS n FROM stock_items WHERE sku = 'NO-SUCH-SKU' OR store_id = 'S9'")).rows[0].n),
    ).toBe(0);
  });

  it("given a purchase of a catalogued SKU no store has stocked, when it is decided, then it is refused for stock, not as unknown", async () => {
    const product = `NEW-${sku}`;
    await pool.query("INSERT INTO products (sku, name) VALUES ($1, 'p')", [product]);
    const outcomes = await runCommandBatch(deps(), [command("buy", purchase({ sku: product, qty: 1, policy: "round-robin" }))]);
    expect(kinds(outcomes)).toEqual(["409"]);
    expect(outcomes[0]!.kind === "reply" && outcomes[0]!.reply.body).toMatchObject({ code: "INSUFFICIENT_STOCK", totalAvailable: 0 });
  });

  it("given stock commands between commands that run their own SQL, when the batch commits, then every command sees its predecessors' outcome exactly", async () => {
    await pool.query("INSERT INTO stores (store_id, name) VALUES ('S2', 'two') ON CONFLICT DO NOTHING");
    await pool.query("INSERT INTO stock_items (store_id, sku, on_hand, reserved, version) VALUES ('S2', $1, 4, 0, 1)", [sku]);
    const buy = (qty: number) => purchase({ sku, qty, policy: "highest-available" });
    const outcomes = await runCommandBatch(deps(), [
      command("a", adjust(5)),
      command("r1", changesThenRefuses),
      command("b", adjust(-15)),
      command("c", buy(12)),
      command("d", adjust(1)),
      command("e", buy(4)),
      command("f", buy(1)),
      command("x", changesThenFails("22012")),
      command("g", adjust(3)),
      command("r2", changesThenRefuses),
    ]);
    expect(kinds(outcomes)).toEqual(["202", "409", "202", "409", "202", "202", "202", "error", "202", "409"]);
    const body = (i: number) => (outcomes[i]!.kind === "reply" ? (outcomes[i]!.reply.body as Record<string, unknown>) : {});
    expect([body(0).onHand, body(0).version, body(2).onHand, body(2).version, body(4).onHand, body(4).version]).toEqual([
      15, 2, 0, 3, 1, 4,
    ]);
    expect(body(3)).toMatchObject({ code: "INSUFFICIENT_STOCK", totalAvailable: 4 });
    expect(body(5)).toMatchObject({ storeId: "S2", onHand: 0, version: 2 });
    expect(body(6)).toMatchObject({ storeId: "S1", onHand: 0, version: 5 });
    expect(body(8)).toMatchObject({ onHand: 3, version: 6 });
    const rows = (await pool.query("SELECT store_id, on_hand, version FROM stock_items WHERE sku = $1 ORDER BY store_id", [sku])).rows;
    expect(rows).toEqual([
      { store_id: "S1", on_hand: 3, version: 6 },
      { store_id: "S2", on_hand: 0, version: 2 },
    ]);
    expect(await eventsFor()).toBe(6);
  });
});
