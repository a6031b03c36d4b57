import { execFile, spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, eventually, infra, sleep } from "./harness/infra.js";
import { apiClient } from "./harness/http-client.js";
import type { ManagedProcess } from "./harness/processes.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { createStoreNetwork, type StoreNetwork } from "./harness/store-network.js";
import { tokenFor } from "./harness/tokens.js";

/** A store whose agent runs with OFFLINE_SALES=true, in its own network namespace with one link the test cuts. */
const run = promisify(execFile);
const id = randomBytes(2).toString("hex");
const agentPort = 18082;
const clerk = tokenFor("clerk", { stores: ["S1"], subject: "till-S1", expiresInSeconds: 3600 });
const operator = tokenFor("operator", { expiresInSeconds: 3600 });
const START = { N1: 5, N2: 1000, N3: 1000 } as const;

let system: TestSystem;
let store: StoreNetwork;
let agent: ManagedProcess | undefined;

const startAgent = (waitForReady = true) =>
  store.startAgent(
    `agent-offline-${id}`,
    agentPort,
    {
      STORE_ID: "S1",
      OFFLINE_SALES: "true",
      AGENT_REPLICA_PATH: `${system.replicaDir}/agent-offline-${id}.sqlite`,
      OFFLINE_JOURNAL_PATH: `${system.replicaDir}/agent-offline-${id}-journal.sqlite`,
      OFFLINE_REPLAY_INTERVAL_MS: "200",
      HUB_TIMEOUT_MS: "1000",
      BREAKER_OPEN_MS: "1000",
      AGENT_TOKEN: tokenFor("agent", { stores: ["S1"], subject: "agent-S1", expiresInSeconds: 3600 }),
      STATUS_REPORT_INTERVAL_MS: "500",
    },
    { waitForReady },
  );

/** A request made from inside the store (the test's own host cannot reach the agent while the link is down). */
const fromStore = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
  const script = `const r = await fetch(${JSON.stringify(`http://127.0.0.1:${agentPort}${path}`)}, { ...${JSON.stringify(init)}, signal: AbortSignal.timeout(5000) })
    .then(async (res) => ({ status: res.status, queued: res.headers.get("x-offline-queued"), replayed: res.headers.get("idempotent-replayed"), body: await res.text() }), (e) => ({ status: 0, body: String(e) }));
    console.log(JSON.stringify(r));`;
  const { stdout } = await run(store.inStore[0]!, [...store.inStore.slice(1), process.execPath, "--input-type=module", "-e", script]);
  const r = JSON.parse(stdout) as { status: number; queued: string | null; replayed: string | null; body: string };
  let body: any = r.body;
  try {
    body = JSON.parse(r.body);
  } catch {
    /* text */
  }
  return { ...r, body };
};
const sell = (key: string, sku: string) =>
  fromStore("/v1/adjustments", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${clerk}`, "Idempotency-Key": key },
    body: JSON.stringify({ storeId: "S1", sku, delta: -1, reason: "sale" }),
  });
/** As a till does: the same key again until the outcome is known. */
const sellUntilAnswered = async (key: string, sku: string) => {
  for (;;) {
    const r = await sell(key, sku);
    if (r.status !== 0 && r.status !== 503) return r;
    await sleep(200);
  }
};

const tills = async (durationMs: number, skus: string[], count: number, during?: () => Promise<void>) => {
  const out = `${infra.logDir()}/till-sales-${id}-${randomBytes(2).toString("hex")}.jsonl`;
  const child = spawn(
    store.inStore[0]!,
    [
      ...store.inStore.slice(1),
      process.execPath,
      `${REPO_ROOT}e2e/netns/till-sales.mjs`,
      `http://127.0.0.1:${agentPort}`,
      clerk,
      operator,
      String(durationMs),
      out,
      skus.join(","),
      String(count),
    ],
    { stdio: "ignore" },
  );
  const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await during?.();
  await done;
  return readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
};

/** `inventory journal` as the store's staff run it, inside the store. */
const inventoryJournal = async () =>
  (
    await run(
      store.inStore[0]!,
      [
        ...store.inStore.slice(1),
        process.execPath,
        `${REPO_ROOT}edge-agent/dist/cli.js`,
        "journal",
        "--agent",
        `http://127.0.0.1:${agentPort}`,
        "--token",
        operator,
      ],
      { cwd: REPO_ROOT },
    )
  ).stdout.trim();

const onHand = async (sku: string) =>
  (await system.db.query("SELECT on_hand FROM stock_items WHERE store_id = 'S1' AND sku = $1", [sku])).rows[0].on_hand as number;
const appliedKeys = async (keys: string[]) =>
  Number(
    (await system.db.query("SELECT count(*) AS n FROM idempotency_records WHERE scope = 'till-S1' AND key = ANY($1::text[])", [keys]))
      .rows[0].n,
  );
/**
 * Sales applied for these keys: each key's own 202, or — for a sale whose original request the hub had refused for
 * stock before the link died, its answer lost — the 202 under the key derived from it.
 */
const appliedSales = async (keys: string[]) => {
  const derived = keys.map((k) => `offline-${createHash("sha256").update(k).digest("hex").slice(0, 40)}`);
  const rows = await system.db.query(
    "SELECT count(*) AS n FROM idempotency_records WHERE scope = 'till-S1' AND status_code = 202 AND key = ANY($1::text[])",
    [[...keys, ...derived]],
  );
  return Number(rows.rows[0].n);
};
const saleEvents = async (sku: string) =>
  (
    await system.db.query(
      "SELECT event FROM outbox WHERE store_id = 'S1' AND sku = $1 AND event->>'eventType' = 'StockAdjusted' AND event->'payload'->>'reason' = 'sale' ORDER BY id",
      [sku],
    )
  ).rows.map((r) => r.event);
const drained = () =>
  eventually(
    async () => {
      const journal = await fromStore("/v1/offline/journal", { headers: { Authorization: `Bearer ${operator}` } });
      expect(journal.body).toMatchObject({ queued: 0, replaying: false });
      return journal.body;
    },
    60_000,
    300,
  );

beforeAll(async () => {
  system = await startSystem();
  await seedCatalog(
    system,
    ["S1"],
    Object.entries(START).map(([sku, units]) => ({ sku, perStore: { S1: units } })),
  );
  store = await createStoreNetwork(system);
  agent = await startAgent();
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await store?.close();
  await system?.close();
});

describe("an agent with OFFLINE_SALES cut off from the hub", () => {
  it("keeps selling through a 30 s cut; after it every sale answered 202 is applied exactly once, in order per item, and the item that went below zero is flagged", {
    timeout: 120_000,
  }, async () => {
    let cutAt = 0;
    let healedAt = 0;
    let cliDuring = "";
    const samples = await tills(37_000, ["N1", "N2"], 2, async () => {
      await sleep(3000);
      cutAt = Date.now();
      await store.cut();
      await sleep(15_000);
      cliDuring = await inventoryJournal();
      await sleep(Math.max(0, cutAt + 30_000 - Date.now()));
      healedAt = Date.now();
      await store.heal();
    });
    const sales = samples.filter((s) => s.kind === "sale");
    const acked = sales.filter((s) => s.status === 202);
    const queued = acked.filter((s) => s.queued);
    const provisionalReads = samples.filter((s) => s.kind === "read" && s.provisionalHeader && s.provisional);
    const statuses = samples.filter((s) => s.kind === "status" && s.at > cutAt + 3000 && s.at < healedAt);
    const journal = await drained();
    console.log(
      `cut ${((healedAt - cutAt) / 1000).toFixed(1)} s: ${sales.length} sales answered, ${acked.length} × 202 (${queued.length} journaled offline), ` +
        `${sales.length - acked.length} other; ${provisionalReads.length} provisional reads; journal peaked at ${Math.max(...statuses.map((s) => s.queued ?? 0))} lines, ` +
        `oldest ${Math.max(...statuses.map((s) => s.oldestQueuedAgeMs ?? 0))} ms; after the heal: ${journal.applied} applied, ${journal.refused} refused`,
    );
    // Linked, a sale beyond the shelf is refused as ever (N1 runs out); cut off, every sale is taken.
    // (A second's margin: `ip link set down` takes effect a moment after cutAt, and a sale already at the hub is answered.)
    const cutOff = (s: { at: number }) => s.at > cutAt + 1000 && s.at < healedAt;
    expect(sales.filter((s) => s.status !== 202).every((s) => s.code === "INSUFFICIENT_STOCK" && !cutOff(s))).toBe(true);
    expect(sales.filter(cutOff).every((s) => s.status === 202)).toBe(true);
    expect(queued.length).toBeGreaterThan(50);
    expect(provisionalReads.length).toBeGreaterThan(10);
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.every((s) => s.status === 200 && s.queued > 0 && s.metricsQueued >= s.queued)).toBe(true);
    expect(journal.refused).toBe(0);
    // What the store's staff see with `inventory journal` while cut off.
    expect(cliDuring).toMatch(/^S1: \d+ sales queued, oldest 1\d s/);

    // Exactly once: each acknowledged key is stored at the hub, and the shelves moved by exactly those sales.
    expect(await appliedSales(acked.map((s) => s.key))).toBe(acked.length);
    for (const sku of ["N1", "N2"] as const) {
      const sold = acked.filter((s) => s.sku === sku).length;
      expect(await onHand(sku)).toBe(START[sku] - sold);
      const events = await saleEvents(sku);
      expect(events.length).toBe(sold);
      // In order per item: the offline sales reached the hub in the order they happened.
      const offline = events.filter((e) => e.payload.offline === true).map((e) => Date.parse(e.payload.occurredAt));
      expect(offline.length).toBeGreaterThan(20);
      expect(offline).toEqual([...offline].sort((a, b) => a - b));
    }

    // N1 held 5 units: it went below zero, is flagged for a recount, and operators see it listed.
    expect(await onHand("N1")).toBeLessThan(0);
    const listed = await system.hub.get("/v1/stock/recount-required?storeId=S1", { Authorization: `Bearer ${operator}` });
    expect(listed.body.items.map((i: { sku: string }) => i.sku)).toEqual(["N1"]);

    // The provisional rows give way to the hub's: the agent's replica shows the authoritative state, unmarked.
    const version = (await system.db.query("SELECT version FROM stock_items WHERE store_id = 'S1' AND sku = 'N1'")).rows[0].version;
    await eventually(
      async () => {
        const read = await fromStore("/v1/availability?sku=N1&storeId=S1");
        expect(read.body.perStore[0]).toEqual(expect.objectContaining({ onHand: await onHand("N1"), version }));
        expect(read.body.perStore[0].provisional).toBeUndefined();
      },
      30_000,
      300,
    );
    // The hub learns of the journal from the agent's reports.
    await eventually(
      async () => {
        const status = await system.hub.get("/v1/projections/status", { Authorization: `Bearer ${operator}` });
        const reported = status.body.projections.find((p: { projection: string }) => p.projection === "agent-S1");
        expect(reported?.offline).toMatchObject({ queued: 0, refused: 0 });
      },
      15_000,
      250,
    );
  });

  it("given sales journaled, when the agent is killed with -9 and restarted while still cut off, then after the heal nothing is lost and nothing doubled", async () => {
    const before = await onHand("N3");
    await store.cut();
    const samples = await tills(5000, ["N3"], 1);
    const acked = samples.filter((s) => s.kind === "sale" && s.status === 202);
    expect(acked.length).toBeGreaterThan(5);
    expect(acked.every((s) => s.queued)).toBe(true);
    await agent!.stop("SIGKILL");
    agent = await startAgent(false);
    await eventually(async () => expect((await fromStore("/health")).status).toBe(200), 30_000, 200);
    // The journal survived the crash: a till's retry of a journaled key answers as before, and more sales are taken.
    const retried = await sell(acked[0].key, "N3");
    expect(retried).toMatchObject({ status: 202, queued: "true", replayed: "true" });
    const conflicting = await fromStore("/v1/adjustments", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${clerk}`, "Idempotency-Key": acked[0].key },
      body: JSON.stringify({ storeId: "S1", sku: "N3", delta: -2, reason: "sale" }),
    });
    expect(conflicting.status).toBe(422);
    const later = randomUUID();
    expect(await sellUntilAnswered(later, "N3")).toMatchObject({ status: 202, queued: "true" });
    await store.heal();
    await drained();
    const keys = [...acked.map((s) => s.key), later];
    expect(await appliedSales(keys)).toBe(keys.length);
    expect(await onHand("N3")).toBe(before - keys.length);
  });

  it("given a sale the hub committed whose answer was lost on the cut link, when the till's retry is journaled and replayed, then it is applied once", async () => {
    const key = randomUUID();
    const body = { storeId: "S1", sku: "N2", delta: -1, reason: "sale" };
    const refusedBefore = (await drained()).refused;
    // The sale reaches the hub and commits; the link goes down before its answer comes back to the store.
    const committed = await apiClient(system.hubUrl).post("/v1/adjustments", body, { key, token: clerk });
    expect(committed.status).toBe(202);
    await store.cut();
    const retry = await sellUntilAnswered(key, "N2");
    expect(retry).toMatchObject({ status: 202, queued: "true" });
    await store.heal();
    const journal = await drained();
    expect(journal.refused).toBe(refusedBefore);
    expect(await onHand("N2")).toBe(committed.body.onHand);
    const events = (await saleEvents("N2")).filter(
      (e) => e.eventId === committed.body.eventId || e.payload.occurredAt === retry.body.occurredAt,
    );
    expect(events).toHaveLength(1);
    // The till's next retry gets the hub's own answer.
    const after = await sell(key, "N2");
    expect(after.status).toBe(202);
    expect(after.body).toMatchObject({ eventId: committed.body.eventId, version: committed.body.version });
  });

  it("given a sale the hub refused for stock whose answer was lost, when the till's retry is journaled, then the sale is applied once after all", async () => {
    const key = randomUUID();
    const body = { storeId: "S1", sku: "N1", delta: -1, reason: "sale" };
    const refusedBefore = (await drained()).refused;
    // N1 is below zero by now: the hub refuses the till's sale, and the answer never reaches the store.
    const refused = await apiClient(system.hubUrl).post("/v1/adjustments", body, { key, token: clerk });
    expect(refused.body.code).toBe("INSUFFICIENT_STOCK");
    const before = await onHand("N1");
    await store.cut();
    expect(await sellUntilAnswered(key, "N1")).toMatchObject({ status: 202, queued: "true" });
    await store.heal();
    expect((await drained()).refused).toBe(refusedBefore);
    expect(await onHand("N1")).toBe(before - 1);
    expect(await appliedSales([key])).toBe(1);
    expect((await sell(key, "N1")).body).toMatchObject({ offline: true, onHand: before - 1 });
  });

  it("given a journaled sale the hub refuses on replay, then it is kept and shown with the hub's answer, changes nothing, and the sales after it are applied", async () => {
    const before = await onHand("N3");
    const refusedBefore = (await drained()).refused;
    const otherStoreClerk = tokenFor("clerk", { stores: ["S2"], subject: "till-S2", expiresInSeconds: 3600 });
    const refusedKey = randomUUID();
    const validKey = randomUUID();
    await store.cut();
    const asOtherClerk = () =>
      fromStore("/v1/adjustments", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${otherStoreClerk}`, "Idempotency-Key": refusedKey },
        body: JSON.stringify({ storeId: "S1", sku: "N3", delta: -1, reason: "sale" }),
      });
    let queued = await asOtherClerk();
    while (queued.status === 503) queued = await asOtherClerk();
    expect(queued).toMatchObject({ status: 202, queued: "true" });
    expect(await sellUntilAnswered(validKey, "N3")).toMatchObject({ status: 202, queued: "true" });
    await store.heal();
    const journal = await drained();
    expect(journal.refused).toBe(refusedBefore + 1);
    expect(journal.refusedEntries[0]).toEqual(
      expect.objectContaining({
        idempotencyKey: refusedKey,
        sku: "N3",
        delta: -1,
        hubStatus: 403,
        hubReply: expect.objectContaining({ code: "FORBIDDEN" }),
      }),
    );
    expect(await onHand("N3")).toBe(before - 1);
    expect(await appliedKeys([validKey])).toBe(1);
    // The till's retry now gets the hub's refusal.
    expect((await asOtherClerk()).status).toBe(403);
    const metrics = await fromStore("/metrics");
    expect(metrics.body).toMatch(new RegExp(`^inventory_offline_journal_refused(\\{[^}]*\\})? ${refusedBefore + 1}$`, "m"));
  });
});
