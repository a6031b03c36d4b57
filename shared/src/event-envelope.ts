import { z } from "zod";

/**
 * The envelope every domain event travels in, on Kafka and in the hub's outbox.
 * Unknown fields are ignored when parsing, so producers may add fields without breaking older readers.
 */
export const eventEnvelopeSchema = z.object({
  eventId: z.string().min(1).max(64),
  eventType: z.string().min(1).max(64),
  eventVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  aggregate: z.object({
    type: z.string().min(1).max(32),
    id: z.string().min(1).max(200),
    version: z.number().int().positive(),
  }),
  payload: z.record(z.string(), z.unknown()),
  traceId: z.string().max(128).nullable(),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** What a decision produces before the hub stamps it with an id, a time and a trace id. */
export interface EventDraft {
  readonly topic: string;
  readonly key: string;
  readonly eventType: string;
  readonly eventVersion: number;
  readonly aggregate: EventEnvelope["aggregate"];
  readonly payload: Record<string, unknown>;
}

export interface EventStamp {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly traceId: string | null;
}

export const stampEvent = (draft: EventDraft, stamp: EventStamp): EventEnvelope => ({
  eventId: stamp.eventId,
  eventType: draft.eventType,
  eventVersion: draft.eventVersion,
  occurredAt: stamp.occurredAt,
  aggregate: draft.aggregate,
  payload: draft.payload,
  traceId: stamp.traceId,
});
