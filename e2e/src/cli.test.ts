import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, eventually, freePort } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

/** The real `inventory` binary, as built by `npm run build`, run the way store staff run it. */
const CLI = `${REPO_ROOT}edge-agent/dist/cli.js`;

let system: TestSystem;
let workDir: string;

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const cli = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> =>
  new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: workDir,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: workDir,
          INVENTORY_AGENT_URL: system.agentUrl("S1"),
          INVENTORY_STORE: "S1",
          INVENTORY_TOKEN: "devtoken",
          ...options.env,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(options.input ?? "");
  });

let fileCount = 0;
const csv = (text: string) => {
  const path = join(workDir, `count-${++fileCount}.csv`);
  writeFileSync(path, text);
  return path;
};

const item = async (sku: string, storeId = "S1"): Promise<{ on_hand: number; version: number }> =>
  (await system.db.query("SELECT on_hand, version FROM stock_items WHERE store_id = $1 AND sku = $2", [storeId, sku])).rows[0];

const recountEvents = async (sku: string) =>
  (
    await system.db.query<{ count_ref: string | null }>(
      "SELECT event->'payload'->>'countRef' AS count_ref FROM outbox WHERE message_key = $1 AND event->>'eventType' = 'StockRecounted' ORDER BY id",
      [`S1:${sku}`],
    )
  ).rows;

/** The agent's replica is eventually consistent: wait until it shows what the hub has before diffing against it. */
const agentShows = (sku: string, onHand: number) =>
  eventually(async () => {
    const res = await system.agent("S1").get(`/v1/availability?sku=${sku}&storeId=S1`);
    expect(res.body.perStore?.[0]?.onHand ?? 0).toBe(onHand);
  });

const STOCK: Record<string, number> = { C1: 10, C2: 5, C3: 7, D1: 6, H1: 4, H2: 9, J1: 3, L1: 2, L2: 2, M1: 8, X1: 20, R1: 10, T1: 10 };

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "inventory-cli-"));
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    Object.entries(STOCK).map(([sku, units]) => ({ sku, perStore: { S1: units } })),
  );
  for (const [sku, units] of Object.entries(STOCK)) await agentShows(sku, units);
});
afterAll(() => system?.close());

describe("inventory recount", () => {
  const count = "sku,onHand\n# aisle 3, morning\nC1,8\nC2,5\n\nNOPE,3\nC3,9\n";

  it("given changes, an unchanged line and an unknown SKU, then it shows the differences, applies the changes, refuses the unknown SKU with its reason, and exits 3", async () => {
    const before = await item("C2");
    const file = csv(count);
    const run = await cli(["recount", file, "--yes", "--count-ref", "cycle-1"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^line\s+sku\s+current\s+counted\s+delta/m);
    expect(run.stdout).toMatch(/^\s+3\s+C1\s+10\s+8\s+-2$/m);
    expect(run.stdout).toMatch(/^\s+7\s+C3\s+7\s+9\s+\+2$/m);
    expect(run.stdout).toMatch(/^\s+6\s+NOPE\s+-\s+3\s+-\s+SKU unknown/m);
    expect(run.stdout).toMatch(/^\s+6\s+NOPE\s+3\s+NOT_FOUND\s+unknown sku NOPE$/m);
    expect(run.stdout).toContain("Applied 2, already applied earlier 0, unchanged 1, refused 1, not sent 0.");
    expect(await item("C1")).toMatchObject({ on_hand: 8 });
    expect(await item("C3")).toMatchObject({ on_hand: 9 });
    expect(await item("C2")).toEqual(before);
    expect(await recountEvents("C1")).toEqual([{ count_ref: "cycle-1" }]);
  });

  it("given the same count run again, then nothing changes twice: equal lines are not sent and a re-sent line is replayed under its key", async () => {
    await agentShows("C1", 8);
    await agentShows("C3", 9);
    const before = { C1: await item("C1"), C2: await item("C2"), C3: await item("C3") };
    const file = csv(count);

    const again = await cli(["recount", file, "--yes", "--count-ref", "cycle-1"]);
    expect(again.code).toBe(3);
    expect(again.stdout).toContain("Applied 0, already applied earlier 0, unchanged 3, refused 1, not sent 0.");
    expect({ C1: await item("C1"), C2: await item("C2"), C3: await item("C3") }).toEqual(before);

    // A sale after the count: the replica now differs from the count, so the line goes again, with the same key.
    expect((await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "C1", delta: -1, reason: "sale" })).status).toBe(202);
    await agentShows("C1", 7);
    const afterSale = await item("C1");
    const replay = await cli(["recount", file, "--yes", "--count-ref", "cycle-1", "--json"]);
    expect(replay.code).toBe(3);
    const report = JSON.parse(replay.stdout);
    expect(report.lines.find((l: { sku: string }) => l.sku === "C1")).toMatchObject({
      current: 7,
      counted: 8,
      outcome: { status: "already-applied" },
    });
    expect(report.summary).toEqual({ applied: 0, alreadyApplied: 1, unchanged: 2, refused: 1, notSent: 0 });
    expect(await item("C1")).toEqual(afterSale);
    expect(await item("C3")).toEqual(before.C3);
    expect(await recountEvents("C1")).toHaveLength(1);
  });

  it("given --dry-run, then it shows the differences and sends nothing, with no token and no terminal needed", async () => {
    const before = await item("D1");
    const run = await cli(["recount", csv("D1,2\n"), "--dry-run"], { env: { INVENTORY_TOKEN: "" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+1\s+D1\s+6\s+2\s+-4$/m);
    expect(run.stdout).toContain("Dry run: nothing was sent");
    expect(await item("D1")).toEqual(before);
    expect(await recountEvents("D1")).toEqual([]);
  });

  it("given a till's UTF-16 export with tabs and a header naming its columns, then --dry-run reads it as a plain count", async () => {
    const path = join(workDir, "till-export.txt");
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name\tSKU\tOn Hand\r\n"Mug, ""large"""\tD1\t2\r\n', "utf16le")]),
    );
    const run = await cli(["recount", path, "--dry-run"], { env: { INVENTORY_TOKEN: "" } });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+2\s+D1\s+6\s+2\s+-4$/m);
  });

  it("given no --yes and no terminal to ask on, then it refuses to prompt, exits 2 and sends nothing", async () => {
    const before = await item("D1");
    const run = await cli(["recount", csv("D1,1\n")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a terminal.*--yes/);
    expect(await item("D1")).toEqual(before);
  });

  it("given the counts on stdin and --json, then the output is one JSON document that parses", async () => {
    const run = await cli(["--json", "recount", "-", "--yes", "--count-ref", "stdin-1"], { input: "J1,4\n" });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      storeId: "S1",
      countRef: "stdin-1",
      sent: true,
      mode: "lines",
      summary: { applied: 1, alreadyApplied: 0, unchanged: 0, refused: 0, notSent: 0 },
      lines: [{ line: 1, sku: "J1", counted: 4, current: 3, delta: 1, status: "change", outcome: { status: "applied", onHand: 4 } }],
      exitCode: 0,
    });
    expect(await item("J1")).toMatchObject({ on_hand: 4 });
  });

  it("given no --count-ref, then a dated one is used and named, and the same counts the same day get the same one", async () => {
    const file = csv("M1,8\n");
    const first = JSON.parse((await cli(["--json", "recount", file, "--dry-run"])).stdout);
    const second = JSON.parse((await cli(["--json", "recount", csv("# again\nsku,onHand\nM1, 8\n"), "--dry-run"])).stdout);
    expect(first.countRef).toMatch(/^S1-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
    expect(second.countRef).toBe(first.countRef);
  });

  it.each([
    ["a semicolon instead of a comma", "sku,onHand\nC1,8\nC2;5\n", /line 3: expected 2 columns/],
    ["a negative count", "C1,8\n\nC2,-5\n", /line 3: the count -5 is negative/],
    ["a count that is not a number", "# comment\nC1,eight\n", /line 2: the count 'eight' is not a number/],
    ["a SKU counted twice", "C1,8\nC2,5\nC1,9\n", /line 3: SKU C1 is counted twice \(also on line 1\)/],
    ["no counts at all", "sku,onHand\n# nothing counted\n", /has no counts/],
  ])("given a CSV with %s, then it exits 2 naming the line, and sends nothing", async (_, text, message) => {
    const before = await item("C1");
    const run = await cli(["recount", csv(text), "--yes"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(await item("C1")).toEqual(before);
  });

  it("given a malformed CSV and --json, then the error is JSON too, with every bad line", async () => {
    const run = await cli(["--json", "recount", csv("C1,x\nC2,1\nC3,1.5\n"), "--yes"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { kind: "usage", problems: [{ line: 1 }, { line: 3 }] },
      exitCode: 2,
    });
  });

  it("given a stopped hub, then it fails cleanly with exit 4 saying the count is safe to re-run, and the same command succeeds once the hub is back", async () => {
    const file = csv("H1,1\nH2,2\n");
    const args = ["recount", file, "--yes", "--count-ref", "hub-down-1"];
    await system.stopHub();
    try {
      const down = await cli(args);
      expect(down.code).toBe(4);
      expect(down.stderr).toMatch(/central hub cannot be reached/);
      expect(down.stderr).toMatch(/safe to re-run later/);
      expect(down.stderr).toContain("inventory recount");
      expect(down.stderr).toContain("--count-ref hub-down-1");
      expect(down.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(down.stdout).toContain("not sent 2.");
    } finally {
      await system.startHub();
    }
    expect(await item("H1")).toMatchObject({ on_hand: 4 });
    // The agent's circuit breaker lets the hub back in after its open period: staff simply run it again later.
    const up = await eventually(
      async () => {
        const run = await cli(args);
        expect(run.code).toBe(0);
        return run;
      },
      30_000,
      500,
    );
    expect(up.stdout).toMatch(/refused 0, not sent 0\./);
    expect(await item("H1")).toMatchObject({ on_hand: 1 });
    expect(await item("H2")).toMatchObject({ on_hand: 2 });
    expect(await recountEvents("H1")).toHaveLength(1);
  });

  it("given an agent that is not running, then exit 4 naming the agent, nothing sent", async () => {
    const run = await cli(["recount", csv("C1,1\n"), "--yes"], { env: { INVENTORY_AGENT_URL: `http://127.0.0.1:${await freePort()}` } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/Cannot reach the store agent at http:\/\/127\.0\.0\.1:\d+.*safe to re-run later/);
  });

  it("given a count at or above --batch-threshold, then it goes as one reconciliation, and a re-run replays it instead of applying it again", async () => {
    const file = csv("L1,5\nL2,2\nNOPE2,1\n");
    const args = ["--json", "recount", file, "--yes", "--count-ref", "batch-1", "--batch-threshold", "2"];
    const run = await cli(args);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ mode: "reconciliation", reconciliationIds: [expect.any(String)] });
    expect(report.summary).toEqual({ applied: 1, alreadyApplied: 0, unchanged: 1, refused: 1, notSent: 0 });
    expect(report.lines.find((l: { sku: string }) => l.sku === "NOPE2").outcome).toMatchObject({ status: "refused", code: "NOT_FOUND" });
    expect(await item("L1")).toMatchObject({ on_hand: 5 });
    expect(await item("L2")).toMatchObject({ on_hand: 2, version: 1 });
    expect(await recountEvents("L1")).toEqual([{ count_ref: "batch-1" }]);

    await agentShows("L1", 5);
    const before = await item("L1");
    const again = JSON.parse((await cli(args)).stdout);
    expect(again.reconciliationIds).toEqual(report.reconciliationIds);
    expect(again.summary).toMatchObject({ applied: 0, alreadyApplied: 1, refused: 1 });
    expect(await item("L1")).toEqual(before);
  });
});

describe("the other commands", () => {
  it("availability: this store's stock as a table, every store's with --all-stores, and --json parses", async () => {
    const table = await cli(["availability", "X1"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^store\s+onHand\s+reserved\s+available/m);
    expect(table.stdout).toMatch(/^S1\s+20\s+0\s+20/m);
    const json = await cli(["availability", "X1", "--all-stores", "--json"]);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ sku: "X1", totalAvailable: 20, lagMs: expect.any(Number) });
    expect(body.perStore.map((r: { storeId: string; onHand: number }) => [r.storeId, r.onHand])).toEqual([
      ["S1", 20],
      ["S2", 0],
    ]);
  });

  it("adjust and set: applied at the hub; a refusal exits 3 with the hub's reason", async () => {
    const adjusted = await cli(["adjust", "X1", "-3", "--reason", "damage"]);
    expect(adjusted.code).toBe(0);
    expect(adjusted.stdout).toMatch(/^S1\s+X1\s+17\s/m);
    const set = await cli(["set", "X1", "15", "--count-ref", "shelf-9"]);
    expect(set.code).toBe(0);
    expect(await item("X1")).toMatchObject({ on_hand: 15 });
    const refused = await cli(["adjust", "X1", "-100", "--reason", "sale"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/INSUFFICIENT_STOCK/);
    const badArg = await cli(["adjust", "X1", "two", "--reason", "sale"]);
    expect(badArg.code).toBe(2);
  });

  it("adjust with --idempotency-key: a repeat is replayed, not applied again", async () => {
    const args = ["adjust", "X1", "1", "--reason", "return", "--idempotency-key", "cli-e2e-return-1"];
    expect((await cli(args)).code).toBe(0);
    const after = await item("X1");
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already applied earlier/);
    expect(await item("X1")).toEqual(after);
  });

  it("reserve, confirm and cancel", async () => {
    const reserved = await cli(["--json", "reserve", "R1:2", "--ttl", "600", "--customer", "c-1"]);
    expect(reserved.code).toBe(0);
    const reservation = JSON.parse(reserved.stdout);
    expect(reservation).toMatchObject({ storeId: "S1", status: "CREATED", lines: [{ sku: "R1", qty: 2 }] });
    const confirmed = await cli(["confirm", reservation.reservationId, "--payment-ref", "till-1"]);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/status CONFIRMED/);
    expect(await item("R1")).toMatchObject({ on_hand: 8 });
    const second = JSON.parse((await cli(["--json", "reserve", "R1:1"])).stdout);
    expect((await cli(["cancel", second.reservationId, "--reason", "customer left"])).code).toBe(0);
    const late = await cli(["cancel", reservation.reservationId]);
    expect(late.code).toBe(3);
    expect(late.stderr).toMatch(/INVALID_STATE/);
  });

  it("transfer and receive: units leave this store and arrive at the other once received", async () => {
    const sent = await cli(["--json", "transfer", "S2", "T1:2", "--receipt", "manual"]);
    expect(sent.code).toBe(0);
    const transfer = JSON.parse(sent.stdout);
    expect(transfer).toMatchObject({ fromStore: "S1", toStore: "S2", lines: [{ sku: "T1", qty: 2 }] });
    // The saga dispatches asynchronously; until then receiving is refused (exit 3) and is simply tried again.
    const received = await eventually(
      async () => {
        const run = await cli(["receive", transfer.transferId, "--store", "S2"]);
        expect(run.code).toBe(0);
        return run;
      },
      15_000,
      300,
    );
    expect(received.stdout).toMatch(/S1 -> S2/);
    await eventually(async () => expect(await item("T1", "S2")).toMatchObject({ on_hand: 2 }));
    expect(await item("T1")).toMatchObject({ on_hand: 8 });
    const sameStore = await cli(["transfer", "S1", "T1:1"]);
    expect(sameStore.code).toBe(2);
  });

  it("events: the hub serves the timeline; asked of an agent, which does not, it says where to ask, with exit 1", async () => {
    const viaAgent = await cli(["events", "X1"]);
    expect(viaAgent.code).toBe(1);
    expect(viaAgent.stderr).toMatch(/does not serve the events timeline.*the hub does/);
    const viaHub = await eventually(async () => {
      const run = await cli(["events", "X1", "--agent", system.hubUrl]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/StockRecounted\s+S1:X1/);
      return run;
    });
    expect(viaHub.stdout).toMatch(/^occurredAt\s+event\s+item\s+version\s+change$/m);
    expect(viaHub.stdout).toMatch(/StockAdjusted\s+S1:X1\s+\d+\s+delta -3/);
    const json = JSON.parse((await cli(["--json", "events", "X1", "--agent", system.hubUrl, "--limit", "1"])).stdout);
    expect(json.items).toHaveLength(1);
    expect(typeof json.nextCursor).toBe("string");
  });

  it("settings: flags win over the environment, which wins over the config file", async () => {
    const configPath = join(workDir, "config.json");
    writeFileSync(configPath, JSON.stringify({ agent: system.agentUrl("S1"), store: "S2" }));
    const fromFile = await cli(["--json", "availability", "X1"], {
      env: { INVENTORY_CONFIG: configPath, INVENTORY_AGENT_URL: "", INVENTORY_STORE: "" },
    });
    expect(fromFile.code).toBe(0);
    const storesOf = (run: { stdout: string }) => JSON.parse(run.stdout).perStore.map((r: { storeId: string }) => r.storeId);
    expect(storesOf(fromFile)).toEqual(["S2"]);
    const fromEnv = await cli(["--json", "availability", "X1"], { env: { INVENTORY_CONFIG: configPath, INVENTORY_AGENT_URL: "" } });
    expect(storesOf(fromEnv)).toEqual(["S1"]);
    const fromFlag = await cli(["--json", "availability", "X1", "--store", "S2"]);
    expect(storesOf(fromFlag)).toEqual(["S2"]);
    const missing = await cli(["availability", "X1"], { env: { INVENTORY_CONFIG: join(workDir, "nope.json") } });
    expect(missing.code).toBe(2);
  });

  it("--help of the program and of every command shows an example; the program's lists the exit codes", async () => {
    const main = await cli(["--help"]);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Examples?:\n\s+\$ inventory/);
    expect(main.stdout).toMatch(/Exit codes:[\s\S]*\n\s+4\s+the store agent or the hub is unreachable/);
    for (const command of ["recount", "adjust", "set", "availability", "reserve", "confirm", "cancel", "transfer", "receive", "events"]) {
      const help = await cli([command, "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(new RegExp(`Examples?:\\n\\s+\\$ .*inventory .*${command}`));
    }
    expect((await cli(["recount"])).code).toBe(2);
    expect((await cli(["no-such-command"])).code).toBe(2);
  });
});
