import { describe, expect, it } from "vitest";
import type { Principal } from "@inventory/shared";
import type { BatchOutcome, QueuedCommand } from "./command-batch.js";
import { sqlCommand } from "./command.js";
import { createCommandLanes, laneOf, takeBatch } from "./command-lanes.js";

const principal: Principal = { subject: "till", roles: ["clerk"], stores: ["S1"] };
const command = (key: string, scope = "till"): QueuedCommand => ({
  request: { principal, idempotency: { scope, key, fingerprint: "f" }, traceId: "t" },
  command: sqlCommand(async () => ({ status: 202, body: {} })),
});
const keyOf = (c: QueuedCommand) => c.request.idempotency?.key ?? "";
const ok = (c: QueuedCommand): BatchOutcome => ({
  kind: "reply",
  reply: { status: 202, body: { key: keyOf(c) }, headers: {} },
  replayed: false,
});
const keysOf = (batch: readonly QueuedCommand[]) => batch.map(keyOf);

/** A run whose batches finish only when the test says so, recording what each batch held. */
const controlledRun = (decide: (c: QueuedCommand, batchNo: number) => BatchOutcome = ok) => {
  const batches: string[][] = [];
  const release: (() => void)[] = [];
  const run = (commands: readonly QueuedCommand[]) => {
    const batchNo = batches.push(keysOf(commands)) - 1;
    return new Promise<BatchOutcome[]>((resolve) => release.push(() => resolve(commands.map((c) => decide(c, batchNo)))));
  };
  const finishNext = async () => {
    await new Promise((r) => setImmediate(r));
    release.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { batches, run, finishNext };
};

describe("laneOf", () => {
  it("puts a key on the same lane every time, within range, and spreads keys over lanes", () => {
    const lanes = Array.from({ length: 1000 }, (_, i) => laneOf(`SKU-${i}`, 4));
    expect(lanes.every((l) => l >= 0 && l < 4)).toBe(true);
    expect(laneOf("SKU-7", 4)).toBe(lanes[7]);
    for (let lane = 0; lane < 4; lane++) expect(lanes.filter((l) => l === lane).length).toBeGreaterThan(150);
  });
});

describe("takeBatch", () => {
  const waiting = (key: string, since = 0, scope = "till") => ({ command: command(key, scope), since });

  it("takes at most max commands in arrival order and keeps the rest waiting", () => {
    const { batch, rest, expired } = takeBatch([waiting("a"), waiting("b"), waiting("c")], 2, 0, 1000);
    expect(batch.map((w) => keyOf(w.command))).toEqual(["a", "b"]);
    expect(rest.map((w) => keyOf(w.command))).toEqual(["c"]);
    expect(expired).toEqual([]);
  });

  it("keeps a second use of a key for a later batch, but not the same key of another caller", () => {
    const { batch, rest } = takeBatch([waiting("a"), waiting("a"), waiting("a", 0, "web"), waiting("b")], 10, 0, 1000);
    expect(batch.map((w) => `${w.command.request.idempotency?.scope}/${keyOf(w.command)}`)).toEqual(["till/a", "web/a", "till/b"]);
    expect(rest).toHaveLength(1);
  });

  it("never holds back a command without a key (the hub's own) for another one", () => {
    const keyless = (): QueuedCommand => ({
      request: { principal, traceId: "t" },
      command: sqlCommand(async () => ({ status: 202, body: {} })),
    });
    const { batch, rest } = takeBatch([{ command: keyless(), since: 0 }, { command: keyless(), since: 0 }, waiting("a")], 10, 0, 1000);
    expect(batch).toHaveLength(3);
    expect(rest).toEqual([]);
  });

  it("sets aside commands that waited longer than allowed", () => {
    const { batch, expired } = takeBatch([waiting("old", 0), waiting("new", 900)], 10, 1001, 1000);
    expect(expired.map((w) => keyOf(w.command))).toEqual(["old"]);
    expect(batch.map((w) => keyOf(w.command))).toEqual(["new"]);
  });
});

describe("command lanes", () => {
  it("runs a lone command at once and batches what arrives while a batch runs", async () => {
    const { batches, run, finishNext } = controlledRun();
    const lanes = createCommandLanes({ lanes: 1, maxBatch: 10, maxQueued: 100, maxWaitMs: 10_000, run });
    const answers = ["a", "b", "c", "d"].map((k) => lanes.submit("SKU", command(k)));
    await finishNext();
    await finishNext();
    const settled = await Promise.all(answers);
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
    expect(settled.map((o) => (o.kind === "reply" ? (o.reply.body as { key: string }).key : o.kind))).toEqual(["a", "b", "c", "d"]);
    expect(lanes.queued()).toBe(0);
  });

  it("runs a command that lost a race first in the next batch, and gives up after the last attempt", async () => {
    const { batches, run, finishNext } = controlledRun((c) =>
      keyOf(c) === "loser" ? { kind: "retry", error: new Error("deadlock") } : ok(c),
    );
    const lanes = createCommandLanes({ lanes: 1, maxBatch: 10, maxQueued: 100, maxWaitMs: 10_000, run });
    const first = lanes.submit("SKU", command("first"));
    const loser = lanes.submit("SKU", command("loser"));
    const late = lanes.submit("SKU", command("late"));
    for (let i = 0; i < 4; i++) await finishNext();
    expect(batches).toEqual([["first"], ["loser", "late"], ["loser"], ["loser"]]);
    expect((await first).kind).toBe("reply");
    expect((await late).kind).toBe("reply");
    expect((await loser).kind).toBe("retry");
  });

  it("refuses at once when too many commands wait, without running them", async () => {
    const { batches, run, finishNext } = controlledRun();
    const lanes = createCommandLanes({ lanes: 2, maxBatch: 10, maxQueued: 2, maxWaitMs: 10_000, run });
    const accepted = [lanes.submit("A", command("1")), lanes.submit("A", command("2"))];
    const refused = await lanes.submit("B", command("3"));
    expect(refused).toMatchObject({ kind: "refused", failure: { code: "UNAVAILABLE" } });
    await finishNext();
    await finishNext();
    expect((await Promise.all(accepted)).map((o) => o.kind)).toEqual(["reply", "reply"]);
    expect(batches.flat()).toEqual(["1", "2"]);
  });

  it("refuses a command that waited too long for its lane, without running it", async () => {
    let now = 0;
    const { batches, run, finishNext } = controlledRun();
    const lanes = createCommandLanes({ lanes: 1, maxBatch: 10, maxQueued: 100, maxWaitMs: 50, run, clock: () => now });
    const first = lanes.submit("SKU", command("first"));
    const stale = lanes.submit("SKU", command("stale"));
    now = 100;
    await finishNext();
    expect(await stale).toMatchObject({ kind: "refused", failure: { code: "UNAVAILABLE" } });
    expect((await first).kind).toBe("reply");
    expect(batches).toEqual([["first"]]);
  });

  it("answers every command of a batch whose run threw, and keeps serving the lane", async () => {
    let calls = 0;
    const lanes = createCommandLanes({
      lanes: 1,
      maxBatch: 10,
      maxQueued: 100,
      maxWaitMs: 10_000,
      run: async (commands) => {
        if (calls++ === 0) throw new Error("bug");
        return commands.map(ok);
      },
    });
    expect((await lanes.submit("SKU", command("a"))).kind).toBe("error");
    expect((await lanes.submit("SKU", command("b"))).kind).toBe("reply");
  });
});
