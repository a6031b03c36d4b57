import { z } from "zod";
import { TOPICS } from "./topics.js";
import type { EventDraft } from "./event-envelope.js";
import { RESERVATION_AGGREGATE, RESERVATION_STATUSES, reservationView, type Reservation } from "./reservation.js";

export const RESERVATION_EVENT_TYPES = {
  created: "ReservationCreated",
  confirmed: "ReservationConfirmed",
  cancelled: "ReservationCancelled",
  expired: "ReservationExpired",
} as const;

/** Every reservation event carries the whole reservation after the transition. */
export const reservationPayloadSchema = z.object({
  reservationId: z.string(),
  storeId: z.string(),
  status: z.enum(RESERVATION_STATUSES),
  lines: z.array(z.object({ sku: z.string(), qty: z.number().int() })),
  customerId: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const reservationMessageKey = (storeId: string, reservationId: string) => `${storeId}:${reservationId}`;

export const reservationEventDraft = (r: Reservation, eventType: string, extra: Record<string, unknown> = {}): EventDraft => ({
  topic: TOPICS.reservation,
  key: reservationMessageKey(r.storeId, r.reservationId),
  eventType,
  eventVersion: 1,
  aggregate: { type: RESERVATION_AGGREGATE, id: r.reservationId, version: r.version },
  payload: { ...reservationView(r), ...extra },
});
