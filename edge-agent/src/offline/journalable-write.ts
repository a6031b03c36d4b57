import { adjustmentRequestSchema, OFFLINE_REASONS, type AdjustmentRequest } from "@inventory/shared";

/** The only write that may be journaled while the hub is unreachable. */
export const JOURNALED_PATH = "/v1/adjustments";

export type Journalable = { readonly ok: true; readonly request: AdjustmentRequest } | { readonly ok: false; readonly why: string };

/**
 * May this write be taken into the offline journal? Only a well-formed sale or return for the agent's own store,
 * not already an offline replay and not conditional on a version (If-Match cannot be checked without the hub).
 * Anything else is refused as when the mode is off.
 */
export const journalableWrite = (
  write: { method: string; path: string; body: string; ifMatch: string | undefined },
  storeId: string,
): Journalable => {
  if (write.method !== "POST" || write.path !== JOURNALED_PATH) return { ok: false, why: "only sales and returns are recorded offline" };
  if (write.ifMatch !== undefined) return { ok: false, why: "a write with If-Match needs the hub" };
  let raw: unknown;
  try {
    raw = JSON.parse(write.body);
  } catch {
    return { ok: false, why: "body is not JSON" };
  }
  const parsed = adjustmentRequestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, why: "body is not a valid adjustment" };
  const request = parsed.data;
  if (request.offline) return { ok: false, why: "already an offline replay" };
  if (request.storeId !== storeId) return { ok: false, why: `this agent records offline sales for ${storeId} only` };
  if (!(OFFLINE_REASONS as readonly string[]).includes(request.reason))
    return { ok: false, why: "only sales and returns are recorded offline" };
  return { ok: true, request };
};

/** The body replayed to the hub: the till's request, marked offline and dated when it happened. */
export const replayBody = (body: string, occurredAt: string): string => JSON.stringify({ ...JSON.parse(body), offline: true, occurredAt });

/** Two requests are the same when their bodies hold the same fields and values (key order and traceId aside). */
export const requestFingerprint = (path: string, body: string): string => {
  const { traceId: _ignored, ...fields } = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify([
    path,
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k]]),
  ]);
};
