import { createHash } from "node:crypto";
import type { Context } from "hono";
import { failure, type AvailabilityView } from "@inventory/shared";
import { failureResponse, type Logger, type TraceVariables } from "@inventory/platform";
import type { CircuitBreaker } from "../circuit-breaker.js";
import type { JournalEntry, OfflineJournal } from "./journal-store.js";
import { journalableWrite, requestFingerprint } from "./journalable-write.js";
import { journalReplayer } from "./replay-journal.js";

export const OFFLINE_QUEUED_HEADER = "X-Offline-Queued";

export interface OfflineSalesOptions {
  readonly storeId: string;
  readonly journal: OfflineJournal;
  /** Where the provisional item comes from: the agent's replica. */
  readonly replica: { store(): { availability(sku: string, storeId?: string): AvailabilityView[] | undefined } };
  readonly hubUrl: string;
  readonly timeoutMs: number;
  readonly breaker: CircuitBreaker;
  readonly maxQueued: number;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly onSettled?: (outcome: "applied" | "applied-earlier" | "refused") => void;
}

type WriteHandler = (c: Context<{ Variables: TraceVariables }>) => Promise<Response>;

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Keys are scoped to the caller at the hub; here the caller is its credential. */
const scopeOf = (authorization: string) => createHash("sha256").update(authorization).digest("hex");

/** The answer a retry of a journaled key gets: the queued 202 until the hub has decided, then the hub's answer. */
const journaledAnswer = (entry: JournalEntry, traceId: string, replayed: boolean): Response => {
  const queued = entry.status === "QUEUED";
  const text = queued ? entry.queuedReply : (entry.hubReply ?? "null");
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Trace-Id": traceId };
  if (replayed) headers["Idempotent-Replayed"] = "true";
  if (queued) headers[OFFLINE_QUEUED_HEADER] = "true";
  const status = queued ? 202 : (entry.hubStatus ?? 502);
  const version = status < 300 ? versionOf(text) : undefined;
  if (version !== undefined) headers.ETag = `"${version}"`;
  return new Response(text, { status, headers });
};

const versionOf = (text: string): number | undefined => {
  try {
    const v = (JSON.parse(text) as { version?: unknown } | null)?.version;
    return typeof v === "number" ? v : undefined;
  } catch {
    return undefined;
  }
};

/**
 * OFFLINE_SALES: while the hub cannot be reached, a sale or return for this store is journaled durably and answered
 * 202 with X-Offline-Queued and the provisional item; the journal is replayed in order before any new write is
 * forwarded. Wraps the forwarder: `handle(forward)` is the write route.
 */
export const offlineSales = (options: OfflineSalesOptions) => {
  const { journal, breaker, log } = options;
  const now = options.now ?? (() => new Date());
  const replayer = journalReplayer({
    journal,
    hubUrl: options.hubUrl,
    timeoutMs: options.timeoutMs,
    breaker,
    log,
    now,
    onSettled: options.onSettled,
  });

  /** Journals the write if it may be, or gives the 503 the agent gives today. */
  const journalOrRefuse = async (c: Context<{ Variables: TraceVariables }>, refuse: () => Response): Promise<Response> => {
    const authorization = c.req.header("authorization");
    const key = c.req.header("idempotency-key");
    if (!authorization || !key || !IDEMPOTENCY_KEY_PATTERN.test(key)) return refuse();
    const body = await c.req.text();
    const write = journalableWrite({ method: c.req.method, path: c.req.path, body, ifMatch: c.req.header("if-match") }, options.storeId);
    if (!write.ok) return refuse();
    const { request } = write;
    const row = options.replica.store().availability(request.sku, request.storeId)?.[0];
    if (!row) return refuse();
    if (journal.counts().queued >= options.maxQueued) {
      log.warn("offline journal full: sale refused", { traceId: c.get("traceId"), maxQueued: options.maxQueued });
      return refuse();
    }
    const occurredAt = now().toISOString();
    const onHand = row.onHand + journal.unseenDelta(row.storeId, row.sku, row.version) + request.delta;
    const queuedReply = JSON.stringify({
      storeId: row.storeId,
      sku: row.sku,
      onHand,
      reserved: row.reserved,
      available: onHand - row.reserved,
      version: row.version,
      eventId: null,
      offline: true,
      occurredAt,
      provisional: true,
    });
    const entry = journal.append({
      scope: scopeOf(authorization),
      idempotencyKey: key,
      fingerprint: requestFingerprint(c.req.path, body),
      path: c.req.path,
      body,
      authorization,
      traceId: c.get("traceId"),
      storeId: request.storeId,
      sku: request.sku,
      delta: request.delta,
      occurredAt,
      queuedReply,
    });
    log.info("hub unreachable: sale journaled offline", { traceId: c.get("traceId"), seq: entry.seq, sku: entry.sku, delta: entry.delta });
    return journaledAnswer(entry, c.get("traceId"), false);
  };

  const unavailable = (c: Context<{ Variables: TraceVariables }>) => () =>
    failureResponse(
      c,
      failure("UNAVAILABLE", "the central hub is unreachable; nothing was changed, retry later", {
        retryAfterSeconds: breaker.retryAfterSeconds(Date.now()),
        dependency: "hub",
      }),
    );

  return {
    replayer,
    whenUnreachable: (c: Context<{ Variables: TraceVariables }>, refuse: () => Response) => journalOrRefuse(c, refuse),
    handle:
      (forward: WriteHandler): WriteHandler =>
      async (c) => {
        const authorization = c.req.header("authorization");
        const key = c.req.header("idempotency-key");
        if (authorization && key) {
          const entry = journal.find(scopeOf(authorization), key);
          if (entry) {
            if (entry.fingerprint !== requestFingerprint(c.req.path, await c.req.text().catch(() => ""))) {
              return failureResponse(c, failure("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different request"));
            }
            return journaledAnswer(entry, c.get("traceId"), true);
          }
        }
        if (journal.hasQueued()) {
          // Nothing new reaches the hub before what the journal holds: a till's later write must not overtake its sales.
          const drained = breaker.state(Date.now()) === "CLOSED" && (await replayer.drain());
          if (!drained) return journalOrRefuse(c, unavailable(c));
        }
        return forward(c);
      },
    /** Replays in the background while anything is queued; the timer is the agent's probe of the hub. */
    start(intervalMs: number) {
      const timer = setInterval(() => {
        if (journal.hasQueued() && breaker.allow(Date.now())) void replayer.drain();
        journal.prune(new Date(now().getTime() - 24 * 3_600_000));
      }, intervalMs);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
    status() {
      const counts = journal.counts();
      const oldestAgeMs = counts.oldestQueuedAt ? Math.max(0, now().getTime() - Date.parse(counts.oldestQueuedAt)) : null;
      return { enabled: true, maxQueued: options.maxQueued, ...counts, oldestQueuedAgeMs: oldestAgeMs, ...replayer.progress() };
    },
  };
};

export type OfflineSales = ReturnType<typeof offlineSales>;
