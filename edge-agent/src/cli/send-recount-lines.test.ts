import { describe, expect, it } from "vitest";
import { isCliFailure } from "./cli-failure.js";
import { recountLineKey } from "./idempotency-key.js";
import type { DiffLine } from "./recount-diff.js";
import { sendRecountLines, type SentLines } from "./send-recount-lines.js";
import { answer, fakeApi, noAnswer } from "./test-support/fake-api.js";

const line = (n: number, sku: string, counted: number): DiffLine => ({
  line: n,
  sku,
  counted,
  current: 0,
  delta: counted,
  status: "change",
});
const lines = [line(1, "A1", 5), line(2, "B2", 3), line(3, "C3", 1)];
const send = (api: ReturnType<typeof fakeApi>["api"]) =>
  sendRecountLines({ api, storeId: "S1", countRef: "ref", lines, sleep: async () => undefined }) as Promise<SentLines>;

describe("sendRecountLines", () => {
  it("given answers applied, replayed and refused, then each line gets its outcome, sent with its derived key and count reference", async () => {
    const { api, posts } = fakeApi([
      answer(202, { onHand: 5 }),
      answer(202, { onHand: 3 }, true),
      answer(404, { code: "NOT_FOUND", message: "unknown sku C3" }),
    ]);
    const sent = await send(api);
    expect([...sent.outcomes]).toEqual([
      [1, { status: "applied", onHand: 5 }],
      [2, { status: "already-applied" }],
      [3, { status: "refused", code: "NOT_FOUND", message: "unknown sku C3" }],
    ]);
    expect(sent.stoppedBy).toBeUndefined();
    expect(posts[0]).toEqual({
      path: "/v1/items:set-absolute",
      body: { storeId: "S1", sku: "A1", onHand: 5, countRef: "ref" },
      idempotencyKey: recountLineKey("ref", "S1", "A1", 5),
    });
  });

  it("given the hub becomes unreachable, then sending stops and the rest are not sent", async () => {
    const { api, posts } = fakeApi([answer(202, { onHand: 5 }), answer(503, { code: "UNAVAILABLE", message: "hub down" })]);
    const sent = await send(api);
    expect(posts).toHaveLength(2);
    expect([...sent.outcomes.values()].map((o) => o.status)).toEqual(["applied", "not-sent", "not-sent"]);
    expect(sent.stoppedBy).toMatchObject({ kind: "unavailable", why: "hub-unavailable" });
  });

  it("given the agent does not answer at all, then nothing is sent after the first try", async () => {
    const { api } = fakeApi([noAnswer]);
    const sent = await send(api);
    expect(sent.stoppedBy).toMatchObject({ kind: "unavailable", why: "unreachable" });
    expect([...sent.outcomes.values()].every((o) => o.status === "not-sent")).toBe(true);
  });

  it("given the key is still in flight from an earlier run, then the line is tried again with the same key", async () => {
    const { api, posts } = fakeApi([
      answer(409, { code: "IDEMPOTENCY_KEY_IN_USE", message: "in flight" }),
      answer(202, { onHand: 5 }, true),
      answer(202, { onHand: 3 }),
      answer(202, { onHand: 1 }),
    ]);
    const sent = await send(api);
    expect(posts[0]!.idempotencyKey).toBe(posts[1]!.idempotencyKey);
    expect(sent.outcomes.get(1)).toEqual({ status: "already-applied" });
  });

  it("given the token is refused, then the whole run is a usage failure", async () => {
    const { api } = fakeApi([answer(401, { code: "UNAUTHORIZED", message: "bad token" })]);
    const sent = await sendRecountLines({ api, storeId: "S1", countRef: "ref", lines, sleep: async () => undefined });
    expect(isCliFailure(sent) && sent.kind).toBe("usage");
  });
});
