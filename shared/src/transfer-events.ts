import { z } from "zod";
import { TOPICS } from "./topics.js";
import type { EventDraft } from "./event-envelope.js";
import { TRANSFER_AGGREGATE, TRANSFER_RECEIPTS, TRANSFER_STATUSES, transferView, type Transfer } from "./transfer.js";

export const TRANSFER_EVENT_TYPES = {
  requested: "TransferRequested",
  dispatched: "TransferDispatched",
  received: "TransferReceived",
  completed: "TransferCompleted",
  failed: "TransferFailed",
} as const;

/** Every transfer event carries the whole transfer after the step. */
export const transferPayloadSchema = z.object({
  transferId: z.string(),
  fromStore: z.string(),
  toStore: z.string(),
  lines: z.array(z.object({ sku: z.string(), qty: z.number().int() })),
  receipt: z.enum(TRANSFER_RECEIPTS),
  status: z.enum(TRANSFER_STATUSES),
  failureReason: z.string().nullable(),
  history: z.array(z.object({ status: z.enum(TRANSFER_STATUSES), at: z.string(), reason: z.string().optional() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const transferEventDraft = (t: Transfer, eventType: string): EventDraft => ({
  topic: TOPICS.transfer,
  key: t.transferId,
  eventType,
  eventVersion: 1,
  aggregate: { type: TRANSFER_AGGREGATE, id: t.transferId, version: t.version },
  payload: transferView(t),
});
