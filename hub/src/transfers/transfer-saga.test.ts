import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInMemoryMessageBus, silentLogger, type DeadLetter, type DeadLetterSink, type InMemoryMessageBus } from "@inventory/platform";
import { failure, stampEvent, TRANSFER_AGGREGATE, TRANSFER_EVENT_TYPES, TOPICS } from "@inventory/shared";
import type { Command } from "../command-pipeline/command.js";
import type { SystemCommandRunner } from "../command-pipeline/execute-command.js";
import { startTransferSaga, type TransferSteps } from "./transfer-saga.js";

const TOPIC = "test.transfer.events";
const GROUP = "test-transfer-saga";

type Step = "dispatch" | "receive" | "complete";
/** Stands for a step's command: the fake runner reads which step and transfer it is. */
const steps: TransferSteps = {
  dispatch: (transferId) => ({ step: "dispatch", transferId }) as unknown as Command,
  receive: (transferId) => ({ step: "receive", transferId }) as unknown as Command,
  complete: (transferId) => ({ step: "complete", transferId }) as unknown as Command,
};
const stepOf = (command: Command) => command as unknown as { step: Step; transferId: string };

const NEXT_EVENT: Record<Step, string> = {
  dispatch: TRANSFER_EVENT_TYPES.dispatched,
  receive: TRANSFER_EVENT_TYPES.received,
  complete: TRANSFER_EVENT_TYPES.completed,
};

const transferEvent = (transferId: string, eventType: string, receipt: "auto" | "manual" = "auto", version = 1) =>
  JSON.stringify(
    stampEvent(
      {
        topic: TOPICS.transfer,
        key: transferId,
        eventType,
        eventVersion: 1,
        aggregate: { type: TRANSFER_AGGREGATE, id: transferId, version },
        payload: {
          transferId,
          fromStore: "S1",
          toStore: "S2",
          lines: [{ sku: "A1", qty: 2 }],
          receipt,
          status: "REQUESTED",
          failureReason: null,
          history: [],
          createdAt: "2026-01-01T00:00:00.000Z",
          updatedAt: "2026-01-01T00:00:00.000Z",
          version,
        },
      },
      { eventId: randomUUID(), occurredAt: new Date().toISOString(), traceId: `trace-${transferId}` },
    ),
  );

const publish = (bus: InMemoryMessageBus, key: string, value: string) => bus.publish([{ topic: TOPIC, key, value, headers: {} }]);

/** Plays the database and the relay: each step that runs publishes the transfer's next event. */
const fakeHub = (bus: InMemoryMessageBus, receipt: "auto" | "manual" = "auto") => {
  const ran: { step: Step; transferId: string; traceId: string }[] = [];
  const run = (async (traceId: string, command: Command) => {
    const { step, transferId } = stepOf(command);
    ran.push({ step, transferId, traceId });
    await publish(bus, transferId, transferEvent(transferId, NEXT_EVENT[step], receipt, ran.length + 1));
    return { status: 202, body: {} };
  }) as SystemCommandRunner;
  return { run, ran };
};

const memorySink = () => {
  const letters: DeadLetter[] = [];
  const sink: DeadLetterSink = {
    send: async (l) => {
      letters.push(...l);
    },
    sent: () => letters.length,
    close: async () => undefined,
  };
  return { sink, letters };
};

const sagas: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(sagas.splice(0).map((s) => s.stop()));
});
const start = (bus: InMemoryMessageBus, run: SystemCommandRunner, sink: DeadLetterSink, maxAttempts?: number) => {
  const saga = startTransferSaga({
    subscriber: bus,
    topic: TOPIC,
    groupId: GROUP,
    run,
    log: silentLogger,
    deadLetters: sink,
    steps,
    retryDelayMs: 2,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
  sagas.push(saga);
  return saga;
};

describe("transfer saga", () => {
  it("given a requested transfer with automatic receipt, when the saga runs, then it dispatches, receives and completes it in turn and commits past every event", async () => {
    const bus = createInMemoryMessageBus({ partitions: 3 });
    const hub = fakeHub(bus);
    const { sink, letters } = memorySink();
    await publish(bus, "T1", transferEvent("T1", TRANSFER_EVENT_TYPES.requested));
    start(bus, hub.run, sink);

    await vi.waitFor(() => expect(hub.ran.map((r) => r.step)).toEqual(["dispatch", "receive", "complete"]));
    expect(hub.ran.every((r) => r.transferId === "T1" && r.traceId === "trace-T1")).toBe(true);
    const partition = bus.messages(TOPIC)[0]!.partition;
    await vi.waitFor(() => expect(bus.committed(GROUP, TOPIC, partition)).toBe(4));
    expect(letters).toEqual([]);
  });

  it("given a manual receipt, when the transfer is dispatched, then the saga waits for the destination: no receipt runs", async () => {
    const bus = createInMemoryMessageBus();
    const hub = fakeHub(bus, "manual");
    await publish(bus, "T2", transferEvent("T2", TRANSFER_EVENT_TYPES.requested, "manual"));
    start(bus, hub.run, memorySink().sink);

    const partition = () => bus.messages(TOPIC)[0]!.partition;
    await vi.waitFor(() => expect(bus.committed(GROUP, TOPIC, partition())).toBe(2));
    expect(hub.ran.map((r) => r.step)).toEqual(["dispatch"]);
  });

  it("given a step that keeps failing, when the saga has tried it maxAttempts times, then the event is dead-lettered and the next transfer on the partition still moves", async () => {
    const bus = createInMemoryMessageBus({ partitions: 1 });
    const hub = fakeHub(bus);
    const { sink, letters } = memorySink();
    let tries = 0;
    const run = (async (traceId: string, command: Command) => {
      if (stepOf(command).transferId === "BAD") {
        tries += 1;
        throw new Error("check constraint violated");
      }
      return hub.run(traceId, command);
    }) as SystemCommandRunner;
    await publish(bus, "BAD", transferEvent("BAD", TRANSFER_EVENT_TYPES.requested));
    await publish(bus, "BAD", "not json at all");
    await publish(bus, "T3", transferEvent("T3", TRANSFER_EVENT_TYPES.requested));
    start(bus, run, sink, 3);

    await vi.waitFor(() =>
      expect(hub.ran.filter((r) => r.transferId === "T3").map((r) => r.step)).toEqual(["dispatch", "receive", "complete"]),
    );
    expect(tries).toBe(3);
    expect(letters.map((l) => ({ offset: l.offset, error: l.error, attempts: l.attempts }))).toEqual([
      { offset: 0, error: "Error: check constraint violated", attempts: 3 },
      { offset: 1, error: "not JSON", attempts: 1 },
    ]);
    expect(letters[1]!.value?.toString()).toBe("not json at all");
  });

  it("given a hub that stops while the database is unavailable, when another hub of the group takes over, then the step runs there: its event was never committed", async () => {
    const bus = createInMemoryMessageBus({ partitions: 1 });
    const { sink } = memorySink();
    let asked = 0;
    const unavailable = (async () => {
      asked += 1;
      return failure("UNAVAILABLE", "database unavailable");
    }) as SystemCommandRunner;
    await publish(bus, "T4", transferEvent("T4", TRANSFER_EVENT_TYPES.requested));
    const first = start(bus, unavailable, sink);
    await vi.waitFor(() => expect(asked).toBeGreaterThan(0));
    await first.stop();
    expect(bus.committed(GROUP, TOPIC, 0)).toBe(0);

    const hub = fakeHub(bus);
    start(bus, hub.run, sink);
    await vi.waitFor(() => expect(hub.ran.map((r) => r.step)).toEqual(["dispatch", "receive", "complete"]));
    await vi.waitFor(() => expect(bus.committed(GROUP, TOPIC, 0)).toBe(4));
  });
});
