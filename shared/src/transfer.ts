import type { ReservationLine } from "./reservation.js";

export const TRANSFER_STATUSES = ["REQUESTED", "DISPATCHED", "RECEIVED", "COMPLETED", "FAILED"] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const TRANSFER_RECEIPTS = ["auto", "manual"] as const;
export type TransferReceipt = (typeof TRANSFER_RECEIPTS)[number];

export interface TransferStep {
  readonly status: TransferStatus;
  readonly at: string;
  readonly reason?: string;
}

/** Units moving from one store to another, step by step. */
export interface Transfer {
  readonly transferId: string;
  readonly fromStore: string;
  readonly toStore: string;
  readonly lines: readonly ReservationLine[];
  /** `auto`: received as soon as dispatched; `manual`: waits for the destination's receive (goods on a truck). */
  readonly receipt: TransferReceipt;
  readonly status: TransferStatus;
  readonly failureReason: string | null;
  readonly history: readonly TransferStep[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export const TRANSFER_AGGREGATE = "transfer";

export const transferView = (t: Transfer) => ({
  transferId: t.transferId,
  fromStore: t.fromStore,
  toStore: t.toStore,
  lines: t.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
  receipt: t.receipt,
  status: t.status,
  failureReason: t.failureReason,
  history: t.history.map((h) => ({ ...h })),
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  version: t.version,
});
export type TransferView = ReturnType<typeof transferView>;
