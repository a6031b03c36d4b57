import { z } from "zod";

/** One record of the chain view (`CHAIN_VIEW_TOPIC`): a stock item's state as of `version`, with its age. */
export const chainViewRecordSchema = z.object({
  storeId: z.string(),
  sku: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  inTransit: z.number().int(),
  available: z.number().int(),
  version: z.number().int().min(1),
  /** When the change this state follows happened (the event's occurredAt). */
  lastEventAt: z.string(),
});
export type ChainViewRecord = z.infer<typeof chainViewRecordSchema>;
