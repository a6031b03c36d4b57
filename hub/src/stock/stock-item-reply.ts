import { available, type EventEnvelope, type StockItem } from "@inventory/shared";
import type { Reply } from "../command-pipeline/command.js";

/** The answer to a stock command: the item as it now stands, the event that changed it, and its version as ETag. */
export const stockItemReply = (item: StockItem, event: EventEnvelope | undefined): Reply => ({
  status: 202,
  body: {
    storeId: item.storeId,
    sku: item.sku,
    onHand: item.onHand,
    reserved: item.reserved,
    available: available(item),
    version: item.version,
    eventId: event?.eventId ?? null,
  },
  headers: { ETag: `"${item.version}"` },
});
