import { z } from "zod";

/**
 * One stock item's state on the chain view (key `{storeId}:{sku}`) in the object form published before the
 * compact one (`chain-view-item.ts`). Still read: a compacted topic keeps such a record for every item that has
 * not changed since, and a replica loading the view must not miss those items.
 */
export const chainViewRecordSchema = z.object({
  storeId: z.string(),
  sku: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  inTransit: z.number().int(),
  available: z.number().int(),
  version: z.number().int().min(1),
  /** When the change this state follows happened. */
  lastEventAt: z.string(),
});
export type ChainViewRecord = z.infer<typeof chainViewRecordSchema>;

/** A store of the catalogue on the chain view (key `#store:{storeId}`): agents, which read one partition of the events, learn every store from it. */
export const chainViewStoreSchema = z.object({
  kind: z.literal("store"),
  storeId: z.string(),
  name: z.string(),
  latencyMs: z.number().int().nullable(),
});

/** A product of the catalogue on the chain view (key `#product:{sku}`). */
export const chainViewProductSchema = z.object({ kind: z.literal("product"), sku: z.string(), name: z.string(), createdAt: z.string() });

/**
 * What the chain view is complete up to (key `#position`), published after the records of every flush that
 * covered all it had to. `at`: every change committed before this moment is in the view. `eventOffsets`: per
 * event topic (logical name), per partition, an offset every event below which is in the view; a replica
 * that loads the view continues each event partition from there and misses nothing (events at or above it
 * that the view already holds are older versions, ignored).
 */
export const chainViewPositionSchema = z.object({
  kind: z.literal("position"),
  at: z.string(),
  /** The event log position (`outbox.log_position`) the view is complete up to. */
  logPosition: z.number().int().min(0),
  eventOffsets: z.record(z.string(), z.array(z.number().int().min(0))),
});
export type ChainViewPosition = z.infer<typeof chainViewPositionSchema>;

/** Any record of the chain view topic except a compact item record (an array, see `decodeChainViewItem`). */
export const chainViewEntrySchema = z.union([chainViewStoreSchema, chainViewProductSchema, chainViewPositionSchema, chainViewRecordSchema]);
export type ChainViewEntry = z.infer<typeof chainViewEntrySchema>;

/** Keys of the chain view's records that are not stock items: `#` never starts a store id. */
export const CHAIN_VIEW_KEYS = {
  store: (storeId: string) => `#store:${storeId}`,
  product: (sku: string) => `#product:${sku}`,
  position: "#position",
} as const;
