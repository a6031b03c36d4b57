import { createHash } from "node:crypto";
import type { Logger } from "@inventory/platform";
import type { CircuitBreaker } from "../circuit-breaker.js";
import type { JournalEntry, OfflineJournal } from "./journal-store.js";
import { replayBody } from "./journalable-write.js";

export interface ReplayOptions {
  readonly journal: OfflineJournal;
  readonly hubUrl: string;
  readonly timeoutMs: number;
  readonly breaker: CircuitBreaker;
  readonly log: Logger;
  readonly now: () => Date;
  readonly onSettled?: (outcome: "applied" | "applied-earlier" | "refused") => void;
}

export interface ReplayProgress {
  readonly replaying: boolean;
  readonly lastReplayAt: string | null;
  readonly lastError: string | null;
}

type HubAnswer = { status: number; text: string; code: string | undefined };

/** The hub answered but did not decide the entry: it is reachable, and the entry goes again later. */
class NotDecided extends Error {}
const notDecided = (a: HubAnswer) => new NotDecided(`hub answered ${a.status}${a.code ? ` ${a.code}` : ""}`);

/**
 * The key an offline sale is applied under when its own key already holds the hub's stock refusal of the till's
 * original request (sent as the shelf ran out, its answer lost): derived from it, so a resend is idempotent too.
 */
export const offlineRetryKey = (idempotencyKey: string) =>
  `offline-${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 40)}`;

/** Answers after which the same entry is simply sent again later: the hub did not decide it. */
const RETRY_LATER = (a: HubAnswer) => a.status >= 500 || a.status === 429 || a.code === "IDEMPOTENCY_KEY_IN_USE";

/**
 * Sends the journal to the hub, oldest first, one entry at a time, each under its original Idempotency-Key and the
 * caller's own credential, marked `offline` with its `occurredAt`. It stops at the first entry the hub did not
 * decide (unreachable, 5xx, 429, key in use), so the order holds. An entry whose key the hub already knows for the
 * till's original request (a sale that reached it before the link died, its answer lost) is answered 422 REUSED:
 * it is asked again with the original body, whose stored answer the hub replays, so it is applied once; if that
 * stored answer is a stock refusal, the sale is replayed under offlineRetryKey (it did happen at the counter).
 * `drain()` is single-flight: callers share one run.
 */
export const journalReplayer = (options: ReplayOptions) => {
  const { journal, log } = options;
  let running: Promise<boolean> | undefined;
  let lastReplayAt: string | null = null;
  let lastError: string | null = null;

  const send = async (entry: JournalEntry, body: string, idempotencyKey = entry.idempotencyKey): Promise<HubAnswer> => {
    const res = await fetch(new URL(entry.path, options.hubUrl), {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: entry.authorization,
        "Idempotency-Key": idempotencyKey,
        "X-Trace-Id": entry.traceId,
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { code?: string } | null)?.code;
    } catch {
      code = undefined;
    }
    return { status: res.status, text, code };
  };

  const settle = (entry: JournalEntry, answer: HubAnswer, outcome: "applied" | "applied-earlier" | "refused") => {
    let version: number | null = null;
    try {
      const v = (JSON.parse(answer.text) as { version?: unknown }).version;
      version = typeof v === "number" ? v : null;
    } catch {
      version = null;
    }
    journal.settle(entry.seq, {
      status: outcome === "refused" ? "REFUSED" : "APPLIED",
      hubStatus: answer.status,
      hubReply: answer.text,
      hubVersion: version,
      at: options.now(),
    });
    options.onSettled?.(outcome);
    const fields = { traceId: entry.traceId, seq: entry.seq, sku: entry.sku, delta: entry.delta, status: answer.status, code: answer.code };
    if (outcome === "refused") log.warn("offline sale refused by the hub; kept in the journal for an operator", fields);
    else log.info(outcome === "applied" ? "offline sale replayed" : "offline sale had reached the hub before the link went down", fields);
  };

  /** One entry, settled; throws when the hub could not be reached or did not decide it. */
  const replayOne = async (entry: JournalEntry): Promise<void> => {
    const answer = await send(entry, replayBody(entry.body, entry.occurredAt));
    if (RETRY_LATER(answer)) throw notDecided(answer);
    if (answer.status < 300) {
      settle(entry, answer, "applied");
      return;
    }
    if (answer.code === "IDEMPOTENCY_KEY_REUSED") {
      const original = await send(entry, entry.body);
      if (RETRY_LATER(original)) throw notDecided(original);
      if (original.status < 300) {
        settle(entry, original, "applied-earlier");
        return;
      }
      // The hub refused the original for stock, but the till was told the sale is recorded, and the goods are gone:
      // the offline sale is applied as such (never refused for stock), under a key of its own.
      if (original.code === "INSUFFICIENT_STOCK") {
        const offline = await send(entry, replayBody(entry.body, entry.occurredAt), offlineRetryKey(entry.idempotencyKey));
        if (RETRY_LATER(offline)) throw notDecided(offline);
        settle(entry, offline, offline.status < 300 ? "applied" : "refused");
        return;
      }
      settle(entry, original, "refused");
      return;
    }
    settle(entry, answer, "refused");
  };

  const run = async (): Promise<boolean> => {
    for (let entry = journal.next(); entry; entry = journal.next()) {
      try {
        await replayOne(entry);
        options.breaker.succeeded();
        lastReplayAt = options.now().toISOString();
        lastError = null;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        if (err instanceof NotDecided) options.breaker.succeeded();
        else options.breaker.failed(Date.now());
        return false;
      }
    }
    return true;
  };

  return {
    /** Replays everything queued; true once the journal holds nothing queued. */
    drain(): Promise<boolean> {
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
    progress(): ReplayProgress {
      return { replaying: running !== undefined, lastReplayAt, lastError };
    },
  };
};

export type JournalReplayer = ReturnType<typeof journalReplayer>;
