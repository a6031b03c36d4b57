export const RESERVATION_STATUSES = ["CREATED", "CONFIRMED", "CANCELLED", "EXPIRED"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationLine {
  readonly sku: string;
  readonly qty: number;
}

/** Units held at one store for one customer until confirmed, cancelled or expired. */
export interface Reservation {
  readonly reservationId: string;
  readonly storeId: string;
  readonly status: ReservationStatus;
  readonly lines: readonly ReservationLine[];
  readonly customerId: string | null;
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** +1 on every transition. */
  readonly version: number;
  readonly paymentRef: string | null;
  readonly cancelReason: string | null;
}

export const RESERVATION_AGGREGATE = "reservation";
export const DEFAULT_RESERVATION_TTL_SECONDS = 900;
export const MAX_RESERVATION_TTL_SECONDS = 86_400;

/** Duplicate SKUs in one request are merged into one line, so no line is checked or held twice. */
export const mergeLines = (lines: readonly ReservationLine[]): ReservationLine[] => {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.qty);
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, qty]) => ({ sku, qty }));
};

/** The public view of a reservation, as the API returns it. */
export const reservationView = (r: Reservation) => ({
  reservationId: r.reservationId,
  storeId: r.storeId,
  status: r.status,
  lines: r.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
  customerId: r.customerId,
  expiresAt: r.expiresAt,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  version: r.version,
});
export type ReservationView = ReturnType<typeof reservationView>;
