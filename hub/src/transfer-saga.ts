import type { Kafka, Consumer } from "kafkajs";
import { TRANSFER_EVENT_TYPES, transferPayloadSchema, eventEnvelopeSchema, isFailure } from "@inventory/shared";
import { keepConsumerRunning, type DeadLetterSink, type Logger } from "@inventory/read-model";
import type { SystemCommandRunner } from "./commands/execute-command.js";
import { completeTransferCommand, dispatchTransferCommand, receiveTransferCommand } from "./commands/transfer-commands.js";

export interface TransferSagaOptions {
  readonly kafka: Kafka;
  /** The broker's name for transfer.events. */
  readonly topic: string;
  /** Shared by every hub of a deployment, so each event drives its step once. */
  readonly groupId: string;
  readonly run: SystemCommandRunner;
  readonly log: Logger;
  /** Where an event goes whose step keeps failing for a reason other than an unavailable database. */
  readonly deadLetters: DeadLetterSink;
  /** Attempts before such an event is dead-lettered, so one bad event never stalls every transfer. Default 5. */
  readonly maxAttempts?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which step an event asks for next, if any. */
const nextStep = (eventType: string, receipt: string) => {
  if (eventType === TRANSFER_EVENT_TYPES.requested) return dispatchTransferCommand;
  if (eventType === TRANSFER_EVENT_TYPES.dispatched && receipt === "auto") return receiveTransferCommand;
  if (eventType === TRANSFER_EVENT_TYPES.received) return completeTransferCommand;
  return undefined;
};

/**
 * Drives transfers forward from their own events on transfer.events. The consumer commits an event's offset
 * only after its step has committed, so a hub killed between dispatch and receipt leaves the dispatch event
 * uncommitted and the next hub to join the group runs the receipt. Steps check the transfer's status under
 * its row lock, so an event delivered twice moves nothing twice.
 */
export const startTransferSaga = (options: TransferSagaOptions) => {
  let stopped = false;
  const create = (): Consumer =>
    options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 6_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
    });
  const start = async (c: Consumer) => {
    await c.connect();
    await c.subscribe({ topic: options.topic, fromBeginning: true });
    await c.run({
      eachMessage: async ({ partition, message, heartbeat }) => {
        const letter = (error: string, attempts: number) =>
          options.deadLetters.send([
            { topic: options.topic, partition, offset: Number(message.offset), key: message.key, value: message.value, error, attempts },
          ]);
        let raw: unknown;
        try {
          raw = JSON.parse(message.value?.toString() ?? "null");
        } catch {
          return letter("not JSON", 1);
        }
        const envelope = eventEnvelopeSchema.safeParse(raw);
        const transfer = envelope.success ? transferPayloadSchema.safeParse(envelope.data.payload) : undefined;
        if (!envelope.success || !transfer?.success) return letter("not a transfer event", 1);
        const step = nextStep(envelope.data.eventType, transfer.data.receipt);
        if (!step) return;
        const traceId = envelope.data.traceId ?? `transfer-${transfer.data.transferId}`;
        // Retried here rather than by throwing, so that no error can crash the consumer: an unavailable
        // database is waited out; anything else is tried a few times, then dead-lettered.
        for (let attempt = 1; !stopped; attempt++) {
          let outcome: Awaited<ReturnType<typeof options.run>>;
          try {
            outcome = await options.run(traceId, step(transfer.data.transferId));
          } catch (err) {
            options.log.error("transfer step failed", { traceId, transferId: transfer.data.transferId, attempt, err });
            if (attempt >= (options.maxAttempts ?? 5)) return letter(String(err), attempt);
            await sleep(200 * attempt);
            await heartbeat();
            continue;
          }
          if (isFailure(outcome)) {
            await sleep(1000);
            await heartbeat();
            continue;
          }
          options.log.info("transfer step", {
            traceId,
            transferId: transfer.data.transferId,
            after: envelope.data.eventType,
            status: outcome.status,
          });
          return;
        }
        // Stopping: leave the offset uncommitted so the next hub runs this step.
        throw new Error("transfer saga stopping");
      },
    });
  };
  const consumer = keepConsumerRunning({ name: "transfer saga", log: options.log, create, start, delayMs: 2000 });
  return {
    stop: async () => {
      stopped = true;
      await consumer.stop();
    },
  };
};
