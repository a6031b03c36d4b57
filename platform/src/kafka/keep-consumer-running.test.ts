import { EventEmitter } from "node:events";
import type { Consumer } from "kafkajs";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../http/logger.js";
import { keepConsumerRunning } from "./keep-consumer-running.js";

/** Stands in for a kafkajs consumer: only what the supervisor touches. */
class FakeConsumer extends EventEmitter {
  readonly events = { CRASH: "consumer.crash", FETCH: "consumer.fetch" };
  disconnects = 0;
  crash(restart: boolean, message = "Failed to find group coordinator") {
    this.emit(this.events.CRASH, { payload: { error: new Error(message), groupId: "g", restart } });
  }
  async disconnect() {
    this.disconnects += 1;
  }
}

const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
};

const supervise = (startOutcomes: (consumer: FakeConsumer, attempt: number) => Promise<void>, restartAfterSilentMs?: number) => {
  const consumers: FakeConsumer[] = [];
  const states: (string | null)[] = [];
  const kept = keepConsumerRunning({
    name: "test consumer",
    log: silentLogger,
    create: () => {
      const c = new FakeConsumer();
      consumers.push(c);
      return c as unknown as Consumer;
    },
    start: (c) => startOutcomes(c as unknown as FakeConsumer, consumers.length),
    delayMs: 10,
    onState: (error) => states.push(error),
    ...(restartAfterSilentMs === undefined ? {} : { restartAfterSilentMs }),
  });
  return { consumers, states, kept };
};

describe("keepConsumerRunning", () => {
  it("given a broker that refuses twice, when started, then it tries new consumers until one runs, disconnecting each failed one", async () => {
    const { consumers, states } = supervise(async (_c, attempt) => {
      if (attempt < 3) throw new Error(`refused ${attempt}`);
    });
    await waitFor(() => states.at(-1) === null);
    expect(consumers).toHaveLength(3);
    expect(consumers.map((c) => c.disconnects)).toEqual([1, 1, 0]);
    expect(states).toEqual(["refused 1", "refused 2", null]);
  });

  it("given a running consumer, when it crashes with an error kafkajs will not restart from, then a new consumer takes its place", async () => {
    const { consumers, states } = supervise(async () => undefined);
    await waitFor(() => consumers.length === 1 && states.length === 1);
    consumers[0]!.crash(false);
    await waitFor(() => consumers.length === 2 && states.at(-1) === null);
    expect(consumers[0]!.disconnects).toBe(1);
    expect(states).toEqual([null, "Failed to find group coordinator", null]);
  });

  it("given a running consumer, when it crashes with an error kafkajs restarts from, then it is left to kafkajs", async () => {
    const { consumers } = supervise(async () => undefined);
    await waitFor(() => consumers.length === 1);
    consumers[0]!.crash(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(consumers).toHaveLength(1);
    expect(consumers[0]!.disconnects).toBe(0);
  });

  it("given a consumer that crashes while its start also fails, when both are handled, then exactly one new consumer is started", async () => {
    const { consumers } = supervise(async (c, attempt) => {
      if (attempt > 1) return;
      c.crash(false);
      throw new Error("start failed");
    });
    await waitFor(() => consumers.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(consumers).toHaveLength(2);
    expect(consumers[0]!.disconnects).toBe(1);
  });

  it("given a consumer waiting to retry, when stopped, then no new consumer is started", async () => {
    const { consumers, kept } = supervise(async () => {
      throw new Error("refused");
    });
    await waitFor(() => consumers.length === 1);
    await kept.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(consumers).toHaveLength(1);
  });

  it("given a watched consumer, when it stops fetching without a crash, then a new consumer takes its place; one that keeps fetching is kept", async () => {
    const { consumers, states, kept } = supervise(async () => undefined, 80);
    await waitFor(() => consumers.length === 1 && states.length === 1);
    const fetching = setInterval(() => consumers[0]!.emit("consumer.fetch"), 10);
    await new Promise((r) => setTimeout(r, 200));
    expect(consumers).toHaveLength(1);
    clearInterval(fetching);
    await waitFor(() => consumers.length === 2);
    expect(consumers[0]!.disconnects).toBe(1);
    expect(states[1]).toMatch(/^no fetch completed for \d+ ms$/);
    await kept.stop();
  });
});
