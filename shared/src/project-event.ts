import { eventEnvelopeSchema, type EventEnvelope } from "./event-envelope.js";
import { CATALOG_EVENT_TYPES, productCreatedPayloadSchema, storeRegisteredPayloadSchema } from "./catalog-events.js";
import { stockItemPayloadSchemas } from "./stock-events.js";
import { STOCK_ITEM_AGGREGATE, type StockItemState } from "./stock-item.js";
import { RESERVATION_EVENT_TYPES, reservationPayloadSchema } from "./reservation-events.js";
import type { ReservationView } from "./reservation.js";
import { TRANSFER_EVENT_TYPES, transferPayloadSchema } from "./transfer-events.js";
import type { TransferView } from "./transfer.js";

/** A read-model row change; a replica applies it only when `version` is newer than what it holds. */
export type ReadModelChange =
  | ({ readonly kind: "stock-item" } & StockItemState)
  | { readonly kind: "store"; readonly storeId: string; readonly name: string; readonly latencyMs: number | null }
  | { readonly kind: "product"; readonly sku: string; readonly name: string; readonly createdAt: string }
  | ({ readonly kind: "reservation" } & ReservationView)
  | ({ readonly kind: "transfer" } & TransferView);

/** The event types this build understands, with the newest eventVersion of each. */
export const KNOWN_EVENT_VERSIONS: Readonly<Record<string, number>> = {
  [CATALOG_EVENT_TYPES.storeRegistered]: 1,
  [CATALOG_EVENT_TYPES.productCreated]: 1,
  StockAdjusted: 1,
  StockRecounted: 1,
  StockReserved: 1,
  StockReleased: 1,
  StockSold: 1,
  StockTransferred: 1,
  [RESERVATION_EVENT_TYPES.created]: 1,
  [RESERVATION_EVENT_TYPES.confirmed]: 1,
  [RESERVATION_EVENT_TYPES.cancelled]: 1,
  [RESERVATION_EVENT_TYPES.expired]: 1,
  ...Object.fromEntries(Object.values(TRANSFER_EVENT_TYPES).map((type) => [type, 1])),
};

const RESERVATION_TYPES = new Set<string>(Object.values(RESERVATION_EVENT_TYPES));
const TRANSFER_TYPES = new Set<string>(Object.values(TRANSFER_EVENT_TYPES));

export type Projection =
  | { readonly outcome: "changes"; readonly event: EventEnvelope; readonly changes: readonly ReadModelChange[] }
  | { readonly outcome: "ignored"; readonly reason: string }
  | { readonly outcome: "rejected"; readonly reason: string };

/**
 * What one Kafka message does to the read model. Pure: the same bytes always give the same answer.
 * `rejected` means the message can never be applied (bad schema, an eventVersion newer than this build knows);
 * `ignored` means it carries nothing for this read model.
 */
export const projectEvent = (raw: unknown): Projection => {
  const parsed = eventEnvelopeSchema.safeParse(raw);
  if (!parsed.success) return { outcome: "rejected", reason: `bad envelope: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const event = parsed.data;
  const knownVersion = KNOWN_EVENT_VERSIONS[event.eventType];
  if (knownVersion === undefined) return { outcome: "ignored", reason: `event type ${event.eventType} has no read-model effect` };
  if (event.eventVersion > knownVersion) {
    return { outcome: "rejected", reason: `${event.eventType} v${event.eventVersion} is newer than v${knownVersion}` };
  }
  const change = toChange(event);
  return typeof change === "string" ? { outcome: "rejected", reason: change } : { outcome: "changes", event, changes: [change] };
};

const toChange = (event: EventEnvelope): ReadModelChange | string => {
  if (event.eventType === CATALOG_EVENT_TYPES.storeRegistered) {
    const p = storeRegisteredPayloadSchema.safeParse(event.payload);
    return p.success ? { kind: "store", ...p.data } : `bad ${event.eventType} payload`;
  }
  if (event.eventType === CATALOG_EVENT_TYPES.productCreated) {
    const p = productCreatedPayloadSchema.safeParse(event.payload);
    return p.success ? { kind: "product", ...p.data, createdAt: event.occurredAt } : `bad ${event.eventType} payload`;
  }
  if (RESERVATION_TYPES.has(event.eventType)) {
    const p = reservationPayloadSchema.safeParse(event.payload);
    return p.success ? { kind: "reservation", ...p.data } : `bad ${event.eventType} payload`;
  }
  if (TRANSFER_TYPES.has(event.eventType)) {
    const p = transferPayloadSchema.safeParse(event.payload);
    return p.success ? { kind: "transfer", ...p.data } : `bad ${event.eventType} payload`;
  }
  const schema = stockItemPayloadSchemas[event.eventType];
  const p = schema?.safeParse(event.payload);
  if (!p?.success || event.aggregate.type !== STOCK_ITEM_AGGREGATE) return `bad ${event.eventType} payload`;
  return {
    kind: "stock-item",
    storeId: p.data.storeId,
    sku: p.data.sku,
    onHand: p.data.onHand,
    reserved: p.data.reserved,
    inTransit: p.data.inTransit,
    version: event.aggregate.version,
    lastEventAt: event.occurredAt,
  };
};
