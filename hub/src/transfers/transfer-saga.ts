import { TRANSFER_EVENT_TYPES, transferPayloadSchema, eventEnvelopeSchema, isFailure } from "@inventory/shared";
import type { ConsumedMessage, DeadLetterSink, Logger, MessageSubscriber } from "@inventory/platform";
import type { Command } from "../command-pipeline/command.js";
import type { SystemCommandRunner } from "../command-pipeline/execute-command.js";
import { completeTransferCommand, dispatchTransferCommand, receiveTransferCommand } from "./transfer-commands.js";

export interface TransferSagaOptions {
  readonly subscriber: MessageSubscriber;
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
  /** The command each step runs. Default: the transfer commands. */
  readonly steps?: TransferSteps;
  /** The wait before the n-th retry of a step that threw (n × this), and a tenth of the wait after a refusal. Default 200. */
  readonly retryDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TransferSteps {
  readonly dispatch: (transferId: string) => Command;
  readonly receive: (transferId: string) => Command;
  readonly complete: (transferId: string) => Command;
}

const TRANSFER_COMMANDS: TransferSteps = {
  dispatch: dispatchTransferCommand,
  receive: receiveTransferCommand,
  complete: completeTransferCommand,
};

/** Which step an event asks for next, if any. */
const nextStep = (steps: TransferSteps, eventType: string, receipt: string) => {
  if (eventType === TRANSFER_EVENT_TYPES.requested) return steps.dispatch;
  if (eventType === TRANSFER_EVENT_TYPES.dispatched && receipt === "auto") return steps.receive;
  if (eventType === TRANSFER_EVENT_TYPES.received) return steps.complete;
  return undefined;
};

/**
 * Drives transfers forward from their own events on transfer.events. The subscription's group commits an
 * event's offset only after its step has committed, so a hub killed between dispatch and receipt leaves the
 * dispatch event uncommitted and the next hub to join the group runs the receipt. Steps check the
 * transfer's status under its row lock, so an event delivered twice moves nothing twice.
 */
export const startTransferSaga = (options: TransferSagaOptions) => {
  let stopped = false;
  const retryDelayMs = options.retryDelayMs ?? 200;

  /** Runs the step an event asks for; resolves once it is done or dead-lettered, rejects only when stopping. */
  const handle = async (partition: number, message: ConsumedMessage, heartbeat: () => Promise<void>) => {
    const letter = (error: string, attempts: number) =>
      options.deadLetters.send([
        { topic: options.topic, partition, offset: message.offset, key: message.key, value: message.value, error, attempts },
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
    const step = nextStep(options.steps ?? TRANSFER_COMMANDS, envelope.data.eventType, transfer.data.receipt);
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
        await sleep(retryDelayMs * attempt);
        await heartbeat();
        continue;
      }
      if (isFailure(outcome)) {
        await sleep(retryDelayMs * 5);
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
  };

  const subscription = options.subscriber.subscribe(
    { name: "transfer saga", topics: [options.topic], group: options.groupId, positions: { kind: "group" } },
    async (batch, context) => {
      for (const message of batch.messages) {
        await handle(batch.partition, message, context.heartbeat);
        await context.handled(message.offset);
      }
    },
  );
  return {
    stop: async () => {
      stopped = true;
      await subscription.stop();
    },
  };
};
