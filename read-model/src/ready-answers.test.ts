import { describe, expect, it } from "vitest";
import { message, stock } from "../test/replica-messages.js";
import { openReplicaStore } from "./replica-store.js";
import { readyAnswers } from "./ready-answers.js";

/** An answer builder that counts its calls and answers the store's rows of the SKU. */
const counting = (store: ReturnType<typeof openReplicaStore>, sku: string) => {
  const calls = { n: 0 };
  const build = () => {
    calls.n += 1;
    return store.availability(sku);
  };
  return { calls, build };
};

describe("ready answers", () => {
  it("given an answer made once, when read again with nothing applied, then it is the same answer and not made again", () => {
    const store = openReplicaStore(":memory:");
    store.applyBatch("stock", 0, [message(0, stock("A1", "S1", 5, 1))]);
    const answers = readyAnswers();
    const { calls, build } = counting(store, "A1");
    const first = answers.get(store, "A1", "", build);
    const second = answers.get(store, "A1", "", build);
    expect(second).toBe(first);
    expect(calls.n).toBe(1);
    expect(JSON.parse(first!.text)).toEqual([expect.objectContaining({ sku: "A1", storeId: "S1", onHand: 5, version: 1 })]);
  });

  it("given an answer kept, when a change of its SKU is applied, then the next read makes it again from the new row", () => {
    const store = openReplicaStore(":memory:");
    store.applyBatch("stock", 0, [message(0, stock("A1", "S1", 5, 1))]);
    const answers = readyAnswers();
    const { calls, build } = counting(store, "A1");
    const before = answers.get(store, "A1", "", build)!;
    store.applyBatch("stock", 0, [message(1, stock("A1", "S1", 4, 2))]);
    const after = answers.get(store, "A1", "", build)!;
    expect(calls.n).toBe(2);
    expect(after.tag).not.toBe(before.tag);
    expect(JSON.parse(after.text)[0]).toMatchObject({ onHand: 4, version: 2 });
  });

  it("given an answer kept, when only another SKU changes or an older version arrives, then it is kept", () => {
    const store = openReplicaStore(":memory:");
    store.applyBatch("stock", 0, [message(0, stock("A1", "S1", 5, 2)), message(1, stock("B2", "S1", 1, 1))]);
    const answers = readyAnswers();
    const { calls, build } = counting(store, "A1");
    answers.get(store, "A1", "", build);
    store.applyBatch("stock", 0, [message(2, stock("B2", "S1", 0, 2)), message(3, stock("A1", "S1", 9, 1))]);
    answers.get(store, "A1", "", build);
    expect(calls.n).toBe(1);
    expect(store.availability("A1")![0]).toMatchObject({ onHand: 5, version: 2 });
  });

  it("given answers under different keys and stores, then each is its own and a new store does not reuse another's", () => {
    const one = openReplicaStore(":memory:");
    const two = openReplicaStore(":memory:");
    one.applyBatch("stock", 0, [message(0, stock("A1", "S1", 5, 1))]);
    two.applyBatch("stock", 0, [message(0, stock("A1", "S1", 7, 1))]);
    const answers = readyAnswers();
    const a = answers.get(one, "A1", "", () => one.availability("A1"))!;
    const b = answers.get(two, "A1", "", () => two.availability("A1"))!;
    const c = answers.get(one, "A1", "S1", () => ({ only: "S1" }))!;
    expect(JSON.parse(a.text)[0].onHand).toBe(5);
    expect(JSON.parse(b.text)[0].onHand).toBe(7);
    expect(JSON.parse(c.text)).toEqual({ only: "S1" });
  });

  it("given nothing to answer, then nothing is kept, and past its capacity the oldest answer is let go", () => {
    const store = openReplicaStore(":memory:");
    const answers = readyAnswers(2);
    let made = 0;
    expect(answers.get(store, "NONE", "", () => undefined)).toBeUndefined();
    const build = () => ({ n: ++made });
    answers.get(store, "A", "", build);
    answers.get(store, "B", "", build);
    answers.get(store, "C", "", build);
    answers.get(store, "C", "", build);
    answers.get(store, "B", "", build);
    expect(made).toBe(3);
    answers.get(store, "A", "", build);
    expect(made).toBe(4);
  });
});
