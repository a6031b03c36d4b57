import type { ApiClient } from "./api-client.js";
import { classifyReply, type Reply } from "./classify-reply.js";
import { cliFailure, type CliFailure } from "./cli-failure.js";
import { mapLimit } from "./map-limit.js";
import type { CurrentStock } from "./recount-diff.js";
import { replyFailure } from "./reply-failure.js";

const READ_CONCURRENCY = 8;

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
 * What the store's replica says about each counted SKU, read with a few requests at a time.
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
  const replies = await mapLimit(
    skus,
    READ_CONCURRENCY,
    async (sku) => classifyReply(await api.get("/v1/availability", { sku, storeId })),
    { stop: (reply) => reply.kind !== "ok" && reply.kind !== "refused", onDone },
  );
  const current = new Map<string, CurrentStock>();
  for (const [i, reply] of replies.entries()) {
    const sku = skus[i]!;
    if (reply === undefined) continue;
    if (reply.kind === "ok") {
      current.set(sku, { kind: "known", onHand: onHandAt(reply.body, storeId) });
      maxLagMs = Math.max(maxLagMs, reply.lagMs ?? 0);
    } else if (reply.kind === "refused" && reply.status === 404) {
      current.set(sku, { kind: "unknown-sku" });
    } else {
      return readFailure(reply, api, `read the current stock of ${sku}`);
    }
  }
  return { current, maxLagMs };
};
