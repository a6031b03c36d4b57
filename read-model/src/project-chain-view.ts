import { chainViewEntrySchema, decodeChainViewItem, type ChainViewPosition, type ReadModelChange } from "@inventory/shared";

export type ChainViewProjection =
  | { readonly outcome: "changes"; readonly changes: readonly ReadModelChange[]; readonly occurredAt: string | null }
  | { readonly outcome: "position"; readonly position: ChainViewPosition }
  | { readonly outcome: "rejected"; readonly reason: string };

/**
 * What one chain-view record (its key and parsed value) does to a replica: a row to apply by version, or the
 * view's position. Item records come compact (an array, store and SKU from the key) or, published before that
 * form, as objects: both are read.
 */
export const projectChainView = (key: string | null, raw: unknown): ChainViewProjection => {
  if (Array.isArray(raw)) {
    const item = decodeChainViewItem(key, raw);
    if (item === undefined) return { outcome: "rejected", reason: "not a chain-view item record" };
    return { outcome: "changes", changes: [{ kind: "stock-item", ...item }], occurredAt: item.lastEventAt };
  }
  const parsed = chainViewEntrySchema.safeParse(raw);
  if (!parsed.success) return { outcome: "rejected", reason: "not a chain-view record" };
  const entry = parsed.data;
  if ("kind" in entry) {
    if (entry.kind === "position") return { outcome: "position", position: entry };
    if (entry.kind === "store")
      return {
        outcome: "changes",
        changes: [{ kind: "store", storeId: entry.storeId, name: entry.name, latencyMs: entry.latencyMs }],
        occurredAt: null,
      };
    return {
      outcome: "changes",
      changes: [{ kind: "product", sku: entry.sku, name: entry.name, createdAt: entry.createdAt }],
      occurredAt: null,
    };
  }
  const { available: _available, ...row } = entry;
  return { outcome: "changes", changes: [{ kind: "stock-item", ...row }], occurredAt: entry.lastEventAt };
};
