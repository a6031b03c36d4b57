import { randomUUID } from "node:crypto";
import { stampEvent, storeRegisteredDraft, type EventEnvelope } from "@inventory/shared";

/** A well-formed StoreRegistered event, built with the product's own builders, for tests that inject events. */
export const storeRegisteredEvent = (storeId: string, name: string, traceId: string): EventEnvelope =>
  stampEvent(storeRegisteredDraft({ storeId, name, latencyMs: null }), {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    traceId,
  });
