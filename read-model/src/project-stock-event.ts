import {
  eventEnvelopeSchema,
  KNOWN_EVENT_VERSIONS,
  STOCK_EVENT_TYPES,
  STOCK_ITEM_AGGREGATE,
  stockItemPayloadSchemas,
  type ReadModelChange,
} from "@inventory/shared";

type StockItemChange = Extract<ReadModelChange, { kind: "stock-item" }>;

const STOCK_TYPES = new Map<string, (typeof stockItemPayloadSchemas)[string]>(
  Object.values(STOCK_EVENT_TYPES).map((type) => [type, stockItemPayloadSchemas[type]!]),
);

/** The envelope's own timestamp rule, taken from its schema so that both checks always agree. */
const occurredAtSchema = eventEnvelopeSchema.shape.occurredAt;
const occurredAtPattern = occurredAtSchema.def.pattern instanceof RegExp ? occurredAtSchema.def.pattern : undefined;
const isOccurredAt = (value: unknown): value is string =>
  typeof value === "string" && (occurredAtPattern ? occurredAtPattern.test(value) : occurredAtSchema.safeParse(value).success);

const isText = (value: unknown, maxLength: number): value is string =>
  typeof value === "string" && value.length >= 1 && value.length <= maxLength;
const isPositiveInt = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The replica's fast path for the events it sees most, stock-item events: the same change `projectEvent`
 * gives, without validating the envelope through zod (most of the cost of replaying a topic). It answers
 * only for a message it accepts under rules at least as strict as the envelope schema's; anything else —
 * another event type, a newer eventVersion, any field out of shape — is `undefined`, and the caller asks
 * `projectEvent`, which gives the full answer and the reason for a rejection. The payload is checked by
 * its own schema from `@inventory/shared`.
 */
export const projectStockEvent = (raw: unknown): StockItemChange | undefined => {
  if (!isRecord(raw)) return undefined;
  const eventType = raw.eventType;
  if (typeof eventType !== "string") return undefined;
  const payloadSchema = STOCK_TYPES.get(eventType);
  if (payloadSchema === undefined) return undefined;
  const eventVersion = raw.eventVersion;
  if (!isPositiveInt(eventVersion) || eventVersion > (KNOWN_EVENT_VERSIONS[eventType] ?? 0)) return undefined;
  const { aggregate, payload, occurredAt, traceId } = raw;
  if (!isText(raw.eventId, 64) || !isRecord(aggregate) || !isRecord(payload) || !isOccurredAt(occurredAt)) return undefined;
  if (traceId !== null && !(typeof traceId === "string" && traceId.length <= 128)) return undefined;
  if (aggregate.type !== STOCK_ITEM_AGGREGATE || !isText(aggregate.id, 200) || !isPositiveInt(aggregate.version)) return undefined;
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { storeId, sku, onHand, reserved, inTransit } = parsed.data;
  return { kind: "stock-item", storeId, sku, onHand, reserved, inTransit, version: aggregate.version, lastEventAt: occurredAt };
};
