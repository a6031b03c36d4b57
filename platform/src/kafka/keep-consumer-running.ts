import type { Consumer } from "kafkajs";
import type { Logger } from "../http/logger.js";

export interface KeepConsumerRunningOptions {
  /** Names the consumer in logs, e.g. `replica feed`. */
  readonly name: string;
  readonly log: Logger;
  /** A new consumer for each attempt, with its event listeners attached. */
  readonly create: () => Consumer;
  /** Connects, subscribes and runs it; rejects when it cannot start. */
  readonly start: (consumer: Consumer) => Promise<void>;
  /** Wait before the next attempt. */
  readonly delayMs: number;
  /** Called with why the consumer is down each time it goes down, and with null once it runs. */
  readonly onState?: (error: string | null) => void;
  /**
   * A running consumer that has not completed a fetch for this long is replaced by a new one. Only for
   * consumers whose handlers never wait long (an idle fetch still completes every `maxWaitTimeInMs`).
   */
  readonly restartAfterSilentMs?: number;
}

export interface KeptConsumer {
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Keeps a consumer running for as long as the process wants it, so a process can come up, and serve what
 * it can, while the broker is away, and keeps consuming after the broker comes back.
 *
 * kafkajs restarts a crashed consumer by itself only when the cause is retriable; some causes a broker
 * restart produces are not (`KafkaJSGroupCoordinatorNotFound` while the broker is still loading its
 * groups), and then the consumer stays stopped for good. A crash kafkajs will not restart is handled like
 * a failed start: this consumer is disconnected and a new one started after `delayMs`. With
 * `restartAfterSilentMs`, so is a running consumer that has stopped fetching without saying why.
 */
export const keepConsumerRunning = (options: KeepConsumerRunningOptions): KeptConsumer => {
  let stopped = false;
  let current: Consumer | undefined;
  let running: Consumer | undefined;
  let lastFetchAt = Date.now();
  const retired = new WeakSet<Consumer>();

  /** Takes a consumer out of service once; answers false when it already was. */
  const retire = async (consumer: Consumer, reason: string): Promise<boolean> => {
    if (retired.has(consumer)) return false;
    retired.add(consumer);
    if (running === consumer) running = undefined;
    options.onState?.(reason);
    await consumer.disconnect().catch(() => undefined);
    return true;
  };

  const replace = (consumer: Consumer, reason: string) =>
    void retire(consumer, reason).then(async (first) => {
      if (!first) return;
      await sleep(options.delayMs);
      if (!stopped) await launch();
    });

  const launch = async (): Promise<void> => {
    while (!stopped) {
      const consumer = options.create();
      current = consumer;
      consumer.on(consumer.events.CRASH, (event) => {
        if (event.payload.restart || stopped) return;
        const reason = String(event.payload.error?.message ?? event.payload.error);
        options.log.warn(`${options.name} stopped by an error kafkajs does not restart from; starting a new consumer`, { error: reason });
        replace(consumer, reason);
      });
      consumer.on(consumer.events.FETCH, () => {
        if (consumer === current) lastFetchAt = Date.now();
      });
      try {
        await options.start(consumer);
        // A stop that came while it was connecting may have found nothing to disconnect yet.
        if (stopped) await consumer.disconnect().catch(() => undefined);
        else if (!retired.has(consumer)) {
          running = consumer;
          lastFetchAt = Date.now();
          options.onState?.(null);
        }
        return;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        options.log.warn(`${options.name} cannot start yet; retrying`, { error: reason });
        if (!(await retire(consumer, reason))) return;
        await sleep(options.delayMs);
      }
    }
  };
  void launch();

  const silentMs = options.restartAfterSilentMs;
  const watchdog =
    silentMs === undefined
      ? undefined
      : setInterval(
          () => {
            if (!running || stopped || Date.now() - lastFetchAt < silentMs) return;
            const reason = `no fetch completed for ${Date.now() - lastFetchAt} ms`;
            options.log.warn(`${options.name} has gone silent; starting a new consumer`, { error: reason });
            replace(running, reason);
          },
          Math.max(10, Math.floor(silentMs / 4)),
        );
  watchdog?.unref();

  return {
    stop: async () => {
      stopped = true;
      clearInterval(watchdog);
      if (current) await current.disconnect().catch(() => undefined);
    },
  };
};
