import { randomUUID } from "node:crypto";
import { STOCK_EVENT_TYPES, stampEvent, stockItemEventDraft } from "@inventory/shared";
import type { OutgoingMessage } from "@inventory/platform";

/** A moment of the test's day, one second per version. */
export const eventTime = (version: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString();

/** A stock event as the outbox relay publishes it to `topic`: the item's state after the change, as of `version`. */
export const stockEventMessage = (topic: string, storeId: string, sku: string, onHand: number, version: number): OutgoingMessage => {
  const draft = stockItemEventDraft({ storeId, sku, onHand, reserved: 0, inTransit: 0, version }, STOCK_EVENT_TYPES.adjusted, {
    delta: 1,
    reason: "sale",
  });
  const traceId = `trace-${storeId}-${version}`;
  const event = stampEvent(draft, { eventId: randomUUID(), occurredAt: eventTime(version), traceId });
  return { topic, key: draft.key, value: JSON.stringify(event), headers: { traceId } };
};
