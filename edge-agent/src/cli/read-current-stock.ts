import { MAX_BATCH_SKUS } from "@inventory/shared";
import type { ApiClient } from "./api-client.js";
import { classifyReply, type Reply } from "./classify-reply.js";
import { cliFailure, type CliFailure } from "./cli-failure.js";
import { mapLimit } from "./map-limit.js";
import type { CurrentStock } from "./recount-diff.js";
import { replyFailure } from "./reply-failure.js";

/** Batch reads in flight at once: each names up to 200 SKUs. */
const READ_CONCURRENCY = 2;

export interface CurrentStockRead {
  readonly current: Map<string, CurrentStock>;
  /** The largest X-Projection-Lag-ms seen: how stale the differences may be. */
  readonly maxLagMs: number;
}

const readFailure = (reply: Exclude<Reply, { kind: "ok" }>, api: ApiClient, action: string) =>
  replyFailure(reply, { action, retryHint: "Nothing was sent; the count is safe to re-run later." }, api.baseUrl);

const onHandAt = (body: Record<string, unknown>, storeId: string): number => {
  const rows = Array.isArray(body.perStore) ? (body.perStore as { storeId?: unknown; onHand?: unknown }[]) : [];
  const row = rows.find((r) => r.storeId === storeId);
  return typeof row?.onHand === "number" ? row.onHand : 0;
};

/**
 * What the store's replica says about each counted SKU, read with `GET /v1/availability:batch`, 200 SKUs a request.
 * A SKU the replica does not know is `unknown-sku`; a (store, SKU) pair that never held stock is 0.
 */
export const readCurrentStock = async (
  api: ApiClient,
  storeId: string,
  skus: readonly string[],
  onDone?: (count: number) => void,
): Promise<CurrentStockRead | CliFailure> => {
  const store = classifyReply(await api.get(`/v1/stores/${encodeURIComponent(storeId)}`));
  if (store.kind === "refused" && store.status === 404) {
    return cliFailure("usage", `unknown store ${storeId}: the store agent at ${api.baseUrl} does not know it (check --store)`);
  }
  if (store.kind !== "ok") return readFailure(store, api, `read store ${storeId}`);

  let maxLagMs = store.lagMs ?? 0;
  const chunks: string[][] = [];
  for (let i = 0; i < skus.length; i += MAX_BATCH_SKUS) chunks.push([...new Set(skus.slice(i, i + MAX_BATCH_SKUS))]);
  const replies = await mapLimit(
    chunks,
    READ_CONCURRENCY,
    async (chunk) => classifyReply(await api.get("/v1/availability:batch", { skus: chunk.join(","), storeId })),
    { stop: (reply) => reply.kind !== "ok", onDone: (n) => onDone?.(Math.min(skus.length, n * MAX_BATCH_SKUS)) },
  );
  const current = new Map<string, CurrentStock>();
  for (const reply of replies) {
    if (reply === undefined) continue;
    if (reply.kind !== "ok") return readFailure(reply, api, "read the current stock");
    const body = reply.body as { items?: Record<string, unknown>[]; notFound?: string[] };
    for (const item of body.items ?? []) current.set(String(item.sku), { kind: "known", onHand: onHandAt(item, storeId) });
    for (const sku of body.notFound ?? []) current.set(sku, { kind: "unknown-sku" });
    maxLagMs = Math.max(maxLagMs, reply.lagMs ?? 0);
  }
  return { current, maxLagMs };
};
