import { describe, expect, it } from "vitest";
import { countsDigest, reconciliationKey } from "./idempotency-key.js";
import type { CountLine } from "./parse-count-csv.js";
import { RECONCILIATION_CHUNK_LINES, sendReconciliation, type SentReconciliation } from "./send-reconciliation.js";
import { answer, fakeApi, noAnswer } from "./test-support/fake-api.js";

const counts: CountLine[] = [
  { line: 1, sku: "A1", onHand: 5 },
  { line: 2, sku: "B2", onHand: 3 },
  { line: 3, sku: "ZZ", onHand: 1 },
];
const send = (api: ReturnType<typeof fakeApi>["api"], lines = counts) =>
  sendReconciliation({ api, storeId: "S1", countRef: "ref", counts: lines }) as Promise<SentReconciliation>;

const accepted = {
  reconciliationId: "r-1",
  changes: [{ sku: "A1", previousOnHand: 2, onHand: 5, delta: 3 }],
  unchanged: 1,
  rejected: [{ sku: "ZZ", code: "NOT_FOUND", message: "unknown sku ZZ" }],
};

describe("sendReconciliation", () => {
  it("given an accepted snapshot, then changes are applied, rejections refused, the rest unchanged; one request with a derived key", async () => {
    const { api, posts } = fakeApi([answer(202, accepted)]);
    const sent = await send(api);
    expect([...sent.outcomes]).toEqual([
      [1, { status: "applied", onHand: 5 }],
      [2, { status: "unchanged" }],
      [3, { status: "refused", code: "NOT_FOUND", message: "unknown sku ZZ" }],
    ]);
    expect(sent.reconciliationIds).toEqual(["r-1"]);
    expect(posts).toEqual([
      {
        path: "/v1/reconciliations",
        body: { storeId: "S1", snapshotOnHand: { A1: 5, B2: 3, ZZ: 1 }, source: "ref" },
        idempotencyKey: reconciliationKey("ref", "S1", countsDigest(counts)),
      },
    ]);
  });

  it("given a replayed answer, then its changes were applied earlier, not now", async () => {
    const { api } = fakeApi([answer(202, accepted, true)]);
    expect((await send(api)).outcomes.get(1)).toEqual({ status: "already-applied" });
  });

  it("given a server without the endpoint, then every line is handed back to be sent one by one", async () => {
    const { api } = fakeApi([answer(404, { code: "NOT_FOUND", message: "no route for POST /v1/reconciliations" })]);
    const sent = await send(api);
    expect(sent.fallback?.lines).toEqual(counts);
    expect(sent.fallback?.reason).toMatch(/does not take reconciliations yet/);
    expect(sent.outcomes.size).toBe(0);
  });

  it("given a token that may recount but not reconcile, then every line is handed back to be sent one by one", async () => {
    const { api } = fakeApi([answer(403, { code: "FORBIDDEN", message: "roles clerk may not reconciliation" })]);
    const sent = await send(api);
    expect(sent.fallback?.lines).toEqual(counts);
    expect(sent.fallback?.reason).toMatch(/may not send reconciliations/);
  });

  it("given an unreachable hub, then every line is not sent", async () => {
    const { api } = fakeApi([noAnswer]);
    const sent = await send(api);
    expect(sent.stoppedBy).toMatchObject({ kind: "unavailable" });
    expect([...sent.outcomes.values()].map((o) => o.status)).toEqual(["not-sent", "not-sent", "not-sent"]);
  });

  it("given more lines than one request takes, then they go in chunks, each with its own key", async () => {
    const many = Array.from({ length: RECONCILIATION_CHUNK_LINES + 1 }, (_, i) => ({ line: i + 1, sku: `S${i}`, onHand: 1 }));
    const { api, posts } = fakeApi([
      answer(202, { reconciliationId: "r-1", changes: [], rejected: [] }),
      answer(202, { reconciliationId: "r-2", changes: [], rejected: [] }),
    ]);
    const sent = await send(api, many);
    expect(posts.map((p) => Object.keys((p.body as { snapshotOnHand: object }).snapshotOnHand).length)).toEqual([
      RECONCILIATION_CHUNK_LINES,
      1,
    ]);
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(2);
    expect(sent.reconciliationIds).toEqual(["r-1", "r-2"]);
  });
});
