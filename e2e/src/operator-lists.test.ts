import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, eventually } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

let system: TestSystem;
const operator = { Authorization: `Bearer ${tokenFor("operator")}` };
const list = async (path: string) => {
  const res = await system.hub.get(path, operator);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: any[]; nextCursor: string | null };
};
const walk = async (path: string, limit: number) => {
  const seen: any[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: any[]; nextCursor: string | null } = await list(
      `${path}${path.includes("?") ? "&" : "?"}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
};

const reservationIds: string[] = [];
let manualTransfer: string;
let failedTransfer: string;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "L1", perStore: { S1: 50 } },
      { sku: "L2", perStore: { S1: 50 } },
    ],
  );
  for (const sku of ["L1", "L1", "L1", "L2", "L2"]) {
    const res = await system.hub.post("/v1/reservations", { storeId: "S1", lines: [{ sku, qty: 1 }] });
    expect(res.status).toBe(202);
    reservationIds.push(res.body.reservationId);
  }
  expect((await system.hub.post(`/v1/reservations/${reservationIds[1]}:cancel`, {})).status).toBe(202);
  const manual = await system.hub.post("/v1/transfers", {
    fromStore: "S1",
    toStore: "S2",
    lines: [{ sku: "L1", qty: 1 }],
    receipt: "manual",
  });
  const failing = await system.hub.post("/v1/transfers", { fromStore: "S1", toStore: "S2", lines: [{ sku: "L2", qty: 1000 }] });
  expect([manual.status, failing.status]).toEqual([202, 202]);
  manualTransfer = manual.body.transferId;
  failedTransfer = failing.body.transferId;
}, 120_000);
afterAll(() => system?.close());

describe("GET /v1/reservations", () => {
  it("lists every reservation newest first, and a walk by small pages gives the same rows once each", async () => {
    const all = await list("/v1/reservations?limit=200");
    expect(all.items.map((r) => r.reservationId)).toEqual([...reservationIds].reverse());
    expect(all.nextCursor).toBeNull();
    const walked = await walk("/v1/reservations", 2);
    expect(walked.map((r) => r.reservationId)).toEqual(all.items.map((r) => r.reservationId));
    expect(all.items[0]).toMatchObject({ storeId: "S1", status: "CREATED", lines: [{ sku: "L2", qty: 1 }], version: 1 });
  });

  it("filters by status, store and SKU, combined", async () => {
    expect((await list("/v1/reservations?status=CANCELLED")).items.map((r) => r.reservationId)).toEqual([reservationIds[1]]);
    expect((await list("/v1/reservations?sku=L2")).items.map((r) => r.reservationId)).toEqual([reservationIds[4], reservationIds[3]]);
    expect((await list("/v1/reservations?sku=L1&status=CREATED")).items.map((r) => r.reservationId)).toEqual([
      reservationIds[2],
      reservationIds[0],
    ]);
    expect((await list("/v1/reservations?storeId=S2")).items).toEqual([]);
    expect((await list("/v1/reservations?sku=NOPE")).items).toEqual([]);
  });

  it("filters by age: CREATED for more than ten minutes", async () => {
    await system.db.query("UPDATE reservations SET created_at = now() - interval '20 minutes' WHERE reservation_id = $1", [
      reservationIds[0],
    ]);
    expect((await list("/v1/reservations?status=CREATED&olderThanSeconds=600")).items.map((r) => r.reservationId)).toEqual([
      reservationIds[0],
    ]);
    expect((await list("/v1/reservations?olderThanSeconds=0")).items).toHaveLength(5);
  });

  it("answers 400 for a bad filter or cursor, 401 without a token and 403 for a role that is not an operator", async () => {
    for (const query of ["status=SOLD", "limit=0", "limit=201", "cursor=bm9wZQ", "olderThanSeconds=-1", "storeId=%20", "sku=a%2Fb"]) {
      const res = await system.hub.get(`/v1/reservations?${query}`, operator);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe("VALIDATION_ERROR");
    }
    expect((await system.hub.get("/v1/reservations")).status).toBe(401);
    expect((await system.hub.get("/v1/reservations", { Authorization: `Bearer ${tokenFor("ecommerce")}` })).status).toBe(403);
    expect((await system.hub.get("/v1/reservations", { Authorization: `Bearer ${tokenFor("admin")}` })).status).toBe(200);
  });
});

describe("GET /v1/transfers", () => {
  it("filters by status, either store and SKU, and pages", async () => {
    await eventually(
      async () => {
        expect((await list("/v1/transfers?status=FAILED")).items.map((t) => t.transferId)).toEqual([failedTransfer]);
        expect((await list("/v1/transfers?status=DISPATCHED")).items.map((t) => t.transferId)).toEqual([manualTransfer]);
      },
      30_000,
      100,
    );
    expect((await list("/v1/transfers?storeId=S2")).items.map((t) => t.transferId)).toEqual([failedTransfer, manualTransfer]);
    expect((await list("/v1/transfers?storeId=S1&sku=L1")).items.map((t) => t.transferId)).toEqual([manualTransfer]);
    expect((await walk("/v1/transfers", 1)).map((t) => t.transferId)).toEqual([failedTransfer, manualTransfer]);
    const [failed] = (await list("/v1/transfers?status=FAILED")).items;
    expect(failed).toMatchObject({ fromStore: "S1", toStore: "S2", receipt: "auto", lines: [{ sku: "L2", qty: 1000 }] });
    expect(failed.failureReason).toEqual(expect.any(String));
    expect(failed.history.map((h: { status: string }) => h.status)).toEqual(["REQUESTED", "FAILED"]);
  });

  it("answers 400 for a bad status and 403 for a back-office token", async () => {
    expect((await system.hub.get("/v1/transfers?status=LOST", operator)).status).toBe(400);
    expect((await system.hub.get("/v1/transfers", { Authorization: `Bearer ${tokenFor("backoffice")}` })).status).toBe(403);
  });
});

/** The real `inventory` binary, pointed at the hub with an operator's token. */
const inventory = (args: string[], agentUrl = system.hubUrl): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [`${REPO_ROOT}edge-agent/dist/cli.js`, ...args],
      {
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent", INVENTORY_AGENT_URL: agentUrl, INVENTORY_TOKEN: tokenFor("operator") },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe("the operator's CLI commands", () => {
  it("reservations list and transfers list print a page, as a table or as the API's JSON", async () => {
    const json = await inventory(["reservations", "list", "--status", "created", "--sku", "L1", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).items.map((r: { reservationId: string }) => r.reservationId)).toEqual([
      reservationIds[2],
      reservationIds[0],
    ]);
    const table = await inventory(["reservations", "list", "--older-than", "10m"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^reservation\s+store\s+status\s+lines/);
    expect(table.stdout).toContain(`${reservationIds[0]}  S1     CREATED  L1:1`);
    const paged = await inventory(["transfers", "list", "--for-store", "S2", "--limit", "1"]);
    expect(paged.stdout).toContain(failedTransfer);
    expect(paged.stdout).not.toContain(manualTransfer);
    const cursor = /--cursor (\S+)/.exec(paged.stdout)?.[1];
    const second = await inventory(["transfers", "list", "--for-store", "S2", "--limit", "1", "--cursor", cursor!]);
    expect(second.stdout).toContain(manualTransfer);
    expect(second.stdout).not.toContain("Next page");
  });

  it("status shows every replica of the fleet; dlt list and replay talk to the hub", async () => {
    const status = await eventually(async () => {
      const run = await inventory(["status", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const body = JSON.parse(run.stdout);
      expect(body.projections.map((p: { projection: string }) => p.projection)).toEqual(["hub:hub", "agent-S1"]);
      return body;
    });
    expect(status.outbox).toMatchObject({ leader: true });
    expect((await inventory(["status"])).stdout).toMatch(/agent-S1\s+S1\s+RUNNING/);
    const letters = await inventory(["dlt", "list", "--topic", "stock.events", "--json"]);
    expect(letters.code, letters.stderr).toBe(0);
    expect(JSON.parse(letters.stdout)).toEqual({ items: [] });
    const replay = await inventory(["dlt", "replay", "stock.events", "0-999999"]);
    expect(replay.code).toBe(3);
    expect(replay.stdout).toContain("Replayed 0, already replayed 0, unknown 1.");
  });

  it("says where to ask when pointed at an agent, and refuses a bad age before sending anything", async () => {
    const atAgent = await inventory(["reservations", "list"], system.agentUrl("S1"));
    expect(atAgent.code).toBe(1);
    expect(atAgent.stderr).toContain("the hub does");
    const badAge = await inventory(["transfers", "list", "--older-than", "ten minutes"]);
    expect(badAge.code).toBe(2);
    expect(badAge.stderr).toContain("--older-than must be an age");
    const clerk = await inventory(["reservations", "list", "--token", tokenFor("clerk", { stores: ["S1"] })]);
    expect(clerk.code).toBe(3);
    expect(clerk.stderr).toContain("Not allowed");
  });
});

describe("the hub's /metrics covers the fleet", () => {
  it("exports each agent's lag, report age and state by store", async () => {
    const text = await eventually(async () => {
      const res = await system.hub.get("/metrics");
      expect(res.body).toMatch(/inventory_fleet_agent_state\{[^}]*store="S1",state="RUNNING"[^}]*\} 1/);
      return res.body as string;
    });
    expect(text).toMatch(/inventory_fleet_agent_state\{[^}]*store="S1",state="UNREACHABLE"[^}]*\} 0/);
    expect(text).toMatch(/inventory_fleet_agent_breaker_open\{[^}]*store="S1"[^}]*\} 0/);
    expect(text).toMatch(/inventory_fleet_agent_lag_ms\{[^}]*store="S1"[^}]*\} \d+/);
    const age = Number(/inventory_fleet_agent_report_age_seconds\{[^}]*store="S1"[^}]*\} ([\d.e-]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(5);
  });
});
