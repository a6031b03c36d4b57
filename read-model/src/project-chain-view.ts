import { chainViewEntrySchema, decodeChainViewItem, type ChainViewPosition, type ReadModelChange } from "@inventory/shared";

export type ChainViewProjection =
  | { readonly outcome: "changes"; readonly changes: readonly ReadModelChange[]; readonly occurredAt: string | null }
  | { readonly outcome: "position"; readonly position: ChainViewPosition }
  | { readonly outcome: "rejected"; readonly reason: string };

/**
 * What one chain-view record (its key and value bytes) does to a replica: a row to apply by version, or the
 * view's position. Item records come compact (see `decodeChainViewItem`: store and SKU from the key) or,
 * published before that form, as objects: both are read.
 */
export const projectChainView = (key: string | null, value: Uint8Array): ChainViewProjection => {
  const item = decodeChainViewItem(key, value);
  if (item !== undefined) return { outcome: "changes", changes: [{ kind: "stock-item", ...item }], occurredAt: item.lastEventAt };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8"));
  } catch {
    return { outcome: "rejected", reason: "not a chain-view record" };
  }
  if (Array.isArray(raw)) return { outcome: "rejected", reason: "not a chain-view item record" };
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
