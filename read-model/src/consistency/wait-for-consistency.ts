import type { MiddlewareHandler } from "hono";
import { decodeConsistencyToken, failure, mergeConsistencyTokens, preferredWaitMs, type ConsistencyToken } from "@inventory/shared";
import type { ReplicaStore } from "../replica-store.js";
import type { Freshness } from "../freshness.js";
import { failureResponse } from "@inventory/platform";
import { requestHeader } from "@inventory/platform";
import { setResponseHeader } from "@inventory/platform";
import { rowReached } from "./rows-reached.js";

export const CONSISTENCY_HEADER = "X-Consistency";

export interface ConsistencyWaitOptions {
  /** How long a read waits for its token without `Prefer: wait`. Default 1000. */
  readonly defaultWaitMs?: number;
  /** The longest wait `Prefer: wait=<ms>` may ask for. Default 5000. */
  readonly maxWaitMs?: number;
  /** How often the replica is looked at again while waiting. Default 5. */
  readonly pollMs?: number;
  /** The lag header, set again once the wait is over. */
  readonly lagHeader: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Several tokens may come comma-separated (or as repeated headers): the read waits for all of them. */
const parseTokens = (value: string): ConsistencyToken | undefined => {
  const tokens = value.split(",").map((t) => decodeConsistencyToken(t.trim()));
  return tokens.every((t) => t !== undefined) ? mergeConsistencyTokens(tokens as ConsistencyToken[]) : undefined;
};

/**
 * Read-your-writes: a read carrying `X-Consistency-Token` waits, bounded, until this replica holds every row the
 * token names at its version or later, then is answered with `X-Consistency: reached`; once the bound passes
 * it is answered from what the replica has, with `X-Consistency: behind` and the lag. A token this API did not
 * issue is 400 and nothing is read.
 */
export const waitForConsistency =
  (replica: { store(): ReplicaStore; freshness(): Freshness }, options: ConsistencyWaitOptions): MiddlewareHandler =>
  async (c, next) => {
    const header = requestHeader(c, "x-consistency-token");
    if (header === undefined) return next();
    const token = parseTokens(header);
    if (token === undefined) return failureResponse(c, failure("VALIDATION_ERROR", "X-Consistency-Token is not a token this API issued"));
    const waitMs = preferredWaitMs(requestHeader(c, "prefer"), options.defaultWaitMs ?? 1000, options.maxWaitMs ?? 5000);
    const deadline = Date.now() + waitMs;
    // The replica may be swapped by a rebuild while this waits: look it up again every round.
    let pending = token.entries.filter((e) => !rowReached(replica.store(), e));
    while (pending.length > 0 && Date.now() < deadline) {
      await sleep(Math.min(options.pollMs ?? 5, Math.max(1, deadline - Date.now())));
      pending = pending.filter((e) => !rowReached(replica.store(), e));
    }
    setResponseHeader(c, CONSISTENCY_HEADER, pending.length === 0 ? "reached" : "behind");
    setResponseHeader(c, options.lagHeader, String(replica.freshness().lagMs(Date.now())));
    return next();
  };
