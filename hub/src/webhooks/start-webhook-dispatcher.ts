import type pg from "pg";
import type { Logger } from "@inventory/platform";
import { claimDueDeliveries, recordAttempt, type AttemptOutcome, type ClaimedDelivery } from "./delivery-queue.js";
import { afterFailedAttempt, type RetryPolicy } from "./retry-schedule.js";
import { sendWebhook, type AttemptResult, type SendOptions } from "./send-webhook.js";
import { webhookHeaders } from "./webhook-signature.js";
import type { WebhookMetrics } from "./webhook-metrics.js";

export interface WebhookDispatcherOptions {
  readonly pool: pg.Pool;
  readonly log: Logger;
  readonly send: SendOptions;
  readonly retry: RetryPolicy;
  /** Deliveries sent at once by this hub (each to a different item or subscription). */
  readonly concurrency: number;
  /** How often to look for due deliveries when nothing woke the dispatcher. */
  readonly pollMs: number;
  readonly metrics?: WebhookMetrics;
  readonly now?: () => number;
  /** Sends one attempt; the default is sendWebhook. */
  readonly sendAttempt?: (request: Parameters<typeof sendWebhook>[0], options: SendOptions) => Promise<AttemptResult>;
}

/** The longest wait between claims while PostgreSQL keeps refusing them. */
const MAX_CLAIM_BACKOFF_MS = 10_000;

/** After `failures` claims in a row failed: the poll interval, doubled per failure, up to MAX_CLAIM_BACKOFF_MS (never under the poll interval). */
export const claimBackoffMs = (pollMs: number, failures: number): number =>
  failures === 0 ? pollMs : Math.max(pollMs, Math.min(MAX_CLAIM_BACKOFF_MS, pollMs * 2 ** failures));

const sleep = (ms: number, wake: Promise<void>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void wake.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Sends queued webhook deliveries from PostgreSQL, on every hub: each round claims the due deliveries (see
 * claimDueDeliveries), sends them, and records each outcome; a failure is retried with exponential backoff until
 * the retry window, counted from the delivery's first attempt, runs out, and then its subscription is disabled.
 * A claim's lease outlasts the attempt's timeout, so a hub that dies mid-attempt leaves the delivery to be sent
 * again once the lease has run out (at least once; receivers drop duplicates by `webhook-id`).
 */
export const startWebhookDispatcher = (options: WebhookDispatcherOptions) => {
  const now = options.now ?? Date.now;
  const send = options.sendAttempt ?? sendWebhook;
  const leaseMs = options.send.timeoutMs + 5000;
  let running = true;
  const stopping = new AbortController();
  const stopped = new Promise<void>((resolve) => stopping.signal.addEventListener("abort", () => resolve(), { once: true }));
  let wakeUp: () => void = () => undefined;
  let woken = new Promise<void>((resolve) => (wakeUp = resolve));
  const wake = () => {
    const resolve = wakeUp;
    woken = new Promise<void>((r) => (wakeUp = r));
    resolve();
  };

  const attempt = async (delivery: ClaimedDelivery) => {
    const started = now();
    const timestamp = Math.floor(started / 1000);
    const headers = webhookHeaders({ id: delivery.deliveryId, timestamp, body: delivery.body }, delivery.secret);
    if (delivery.traceId) headers["x-trace-id"] = delivery.traceId;
    const result = await send({ url: delivery.url, headers, body: delivery.body }, { ...options.send, signal: stopping.signal });
    const finished = now();
    options.metrics?.attemptDuration.observe((finished - started) / 1000);
    const fields = {
      traceId: delivery.traceId ?? `webhook-${delivery.deliveryId}`,
      webhookId: delivery.webhookId,
      deliveryId: delivery.deliveryId,
      eventId: delivery.eventId,
      item: delivery.itemKey,
      attempt: delivery.attempt,
      status: result.status,
      ms: finished - started,
    };
    let outcome: AttemptOutcome;
    if (result.stopped) {
      // Not the receiver's doing: free the delivery for any hub at once rather than leave it leased.
      outcome = { kind: "retry", status: null, error: result.error ?? "stopped", at: new Date(finished) };
    } else if (result.delivered && result.status !== null) {
      outcome = { kind: "delivered", status: result.status };
    } else {
      const error = result.error ?? "not delivered";
      const next = afterFailedAttempt(
        { failedAttempts: delivery.attempt, firstAttemptAtMs: delivery.firstAttemptAt.getTime() },
        finished,
        options.retry,
      );
      outcome =
        next.kind === "retry"
          ? { kind: "retry", status: result.status, error, at: new Date(next.atMs) }
          : {
              kind: "give-up",
              status: result.status,
              error,
              disabledReason: `delivery ${delivery.deliveryId} still failing after ${Math.round(options.retry.windowMs / 1000)} s and ${delivery.attempt} attempts: ${error}`,
            };
    }
    const recorded = await recordAttempt(options.pool, delivery, outcome);
    const label = outcome.kind === "delivered" ? "delivered" : outcome.kind === "retry" ? "failed" : "given-up";
    options.metrics?.attempts.inc({ outcome: label });
    if (outcome.kind === "delivered") options.log.info("webhook delivered", { ...fields, recorded });
    else if (outcome.kind === "retry")
      options.log.warn("webhook attempt failed", { ...fields, error: outcome.error, nextAttemptAt: outcome.at.toISOString() });
    else options.log.error("webhook disabled: retry window ran out", { ...fields, error: outcome.error, reason: outcome.disabledReason });
  };

  const loop = async () => {
    let failures = 0;
    while (running) {
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await claimDueDeliveries(options.pool, options.concurrency, leaseMs);
        if (failures > 0)
          options.log.info("webhook dispatcher claims deliveries again", { traceId: "webhook-dispatcher", failedClaims: failures });
        failures = 0;
        await Promise.all(
          claimed.map((d) =>
            attempt(d).catch((err) =>
              options.log.error("webhook attempt not recorded", {
                traceId: d.traceId ?? `webhook-${d.deliveryId}`,
                deliveryId: d.deliveryId,
                err,
              }),
            ),
          ),
        );
      } catch (err) {
        failures += 1;
        const waitMs = claimBackoffMs(options.pollMs, failures);
        // The wait doubles, so while PostgreSQL is away this is logged ever less often, at most once per 10 s.
        options.log.warn("webhook dispatcher could not claim deliveries", {
          traceId: "webhook-dispatcher",
          error: String(err),
          failedClaims: failures,
          nextClaimInMs: waitMs,
        });
        // New deliveries cannot be claimed either while claims fail: only stop cuts this wait short.
        if (running) await sleep(waitMs, stopped);
        continue;
      }
      if (claimed.length < options.concurrency && running) await sleep(options.pollMs, woken);
    }
  };
  const done = loop();

  return {
    /** Look for due deliveries now (the consumer just queued some). */
    wake,
    /** Claims no more; cuts the attempts in flight short and frees their deliveries for the other hubs. */
    stop: async () => {
      running = false;
      stopping.abort();
      wake();
      await done;
    },
  };
};
