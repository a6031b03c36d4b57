import { failure, type Failure } from "./errors.js";
import type { EventDraft } from "./event-envelope.js";
import { MAX_QUANTITY } from "./identifiers.js";
import { available, type StockItem } from "./stock-item.js";
import { STOCK_EVENT_TYPES, stockItemEventDraft } from "./stock-events.js";
import { TRANSFER_EVENT_TYPES, transferEventDraft } from "./transfer-events.js";
import type { Transfer, TransferReceipt, TransferStatus } from "./transfer.js";
import type { ReservationLine } from "./reservation.js";

/**
 * The transfer saga's steps as pure decisions. Each step applies only in the status it expects, so a step
 * driven twice (a redelivered event, a hub restarted mid-way) finds nothing to do the second time.
 * Units are never out of sight: dispatch moves them from the source's onHand to the destination's
 * inTransit, receipt from inTransit to onHand, so onHand + inTransit summed over stores never changes.
 */
export interface TransferDecision {
  readonly transfer: Transfer;
  readonly items: readonly StockItem[];
  readonly events: readonly EventDraft[];
}

/** Outcome of a step that could not happen: the transfer ends FAILED, with every earlier step undone. */
export type StepOutcome = TransferDecision | Failure;

const step = (t: Transfer, status: TransferStatus, now: Date, reason?: string): Transfer => ({
  ...t,
  status,
  failureReason: status === "FAILED" ? (reason ?? "failed") : t.failureReason,
  history: [...t.history, reason ? { status, at: now.toISOString(), reason } : { status, at: now.toISOString() }],
  updatedAt: now.toISOString(),
  version: t.version + 1,
});

const find = (items: readonly StockItem[], storeId: string, sku: string): StockItem => {
  const item = items.find((i) => i.storeId === storeId && i.sku === sku);
  if (!item) throw new Error(`no stock item loaded for ${storeId}:${sku}`);
  return item;
};

const notIn = (t: Transfer, expected: TransferStatus, action: string): Failure =>
  failure("INVALID_STATE", `transfer ${t.transferId} is ${t.status}; only ${expected} can be ${action}`, { status: t.status });

export const requestTransfer = (command: {
  transferId: string;
  fromStore: string;
  toStore: string;
  lines: readonly ReservationLine[];
  receipt: TransferReceipt;
  now: Date;
}): TransferDecision => {
  const at = command.now.toISOString();
  const transfer: Transfer = {
    transferId: command.transferId,
    fromStore: command.fromStore,
    toStore: command.toStore,
    lines: command.lines,
    receipt: command.receipt,
    status: "REQUESTED",
    failureReason: null,
    history: [{ status: "REQUESTED", at }],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  return { transfer, items: [], events: [transferEventDraft(transfer, TRANSFER_EVENT_TYPES.requested)] };
};

/** The transfer cannot start (unknown store or SKU found when dispatching): it ends FAILED, nothing moved. */
export const failTransfer = (t: Transfer, now: Date, reason: string): TransferDecision => {
  const transfer = step(t, "FAILED", now, reason);
  return { transfer, items: [], events: [transferEventDraft(transfer, TRANSFER_EVENT_TYPES.failed)] };
};

/** Units leave the source (onHand drops) and show as in transit at the destination. Short stock: FAILED. */
export const dispatchTransfer = (t: Transfer, items: readonly StockItem[], now: Date): StepOutcome => {
  if (t.status !== "REQUESTED") return notIn(t, "REQUESTED", "dispatched");
  const short = t.lines.filter((l) => available(find(items, t.fromStore, l.sku)) < l.qty);
  if (short.length > 0) {
    return failTransfer(t, now, `not enough available at ${t.fromStore}: ${short.map((l) => l.sku).join(", ")}`);
  }
  const over = t.lines.filter((l) => {
    const destination = find(items, t.toStore, l.sku);
    return destination.onHand + destination.inTransit + l.qty > MAX_QUANTITY;
  });
  if (over.length > 0) return failTransfer(t, now, `${t.toStore} cannot hold more of ${over.map((l) => l.sku).join(", ")}`);
  const transfer = step(t, "DISPATCHED", now);
  const moved: StockItem[] = [];
  const events: EventDraft[] = [transferEventDraft(transfer, TRANSFER_EVENT_TYPES.dispatched)];
  for (const line of t.lines) {
    const source = find(items, t.fromStore, line.sku);
    const destination = find(items, t.toStore, line.sku);
    const left = { ...source, onHand: source.onHand - line.qty, version: source.version + 1 };
    const incoming = { ...destination, inTransit: destination.inTransit + line.qty, version: destination.version + 1 };
    moved.push(left, incoming);
    events.push(
      stockItemEventDraft(left, STOCK_EVENT_TYPES.transferred, { transferId: t.transferId, step: "dispatched", qty: line.qty }),
      stockItemEventDraft(incoming, STOCK_EVENT_TYPES.transferred, { transferId: t.transferId, step: "incoming", qty: line.qty }),
    );
  }
  return { transfer, items: moved, events };
};

/**
 * Units in transit arrive on the destination's shelf. If they cannot (the destination would exceed the
 * quantity limit), the dispatch is compensated: the units go back to the source and the transfer FAILs.
 */
export const receiveTransfer = (t: Transfer, items: readonly StockItem[], now: Date): StepOutcome => {
  if (t.status !== "DISPATCHED") return notIn(t, "DISPATCHED", "received");
  const over = t.lines.filter((l) => find(items, t.toStore, l.sku).onHand + l.qty > MAX_QUANTITY);
  if (over.length > 0) return compensateDispatch(t, items, now, `${t.toStore} cannot hold more of ${over.map((l) => l.sku).join(", ")}`);
  const transfer = step(t, "RECEIVED", now);
  const moved: StockItem[] = [];
  const events: EventDraft[] = [transferEventDraft(transfer, TRANSFER_EVENT_TYPES.received)];
  for (const line of t.lines) {
    const destination = find(items, t.toStore, line.sku);
    const arrived = {
      ...destination,
      inTransit: destination.inTransit - line.qty,
      onHand: destination.onHand + line.qty,
      version: destination.version + 1,
    };
    moved.push(arrived);
    events.push(stockItemEventDraft(arrived, STOCK_EVENT_TYPES.transferred, { transferId: t.transferId, step: "received", qty: line.qty }));
  }
  return { transfer, items: moved, events };
};

export const completeTransfer = (t: Transfer, now: Date): StepOutcome => {
  if (t.status !== "RECEIVED") return notIn(t, "RECEIVED", "completed");
  const transfer = step(t, "COMPLETED", now);
  return { transfer, items: [], events: [transferEventDraft(transfer, TRANSFER_EVENT_TYPES.completed)] };
};

/** Undoes a dispatch: the destination's in-transit units are recalled and the source gets them back. */
export const compensateDispatch = (t: Transfer, items: readonly StockItem[], now: Date, reason: string): TransferDecision => {
  const transfer = step(t, "FAILED", now, reason);
  const moved: StockItem[] = [];
  const events: EventDraft[] = [transferEventDraft(transfer, TRANSFER_EVENT_TYPES.failed)];
  for (const line of t.lines) {
    const destination = find(items, t.toStore, line.sku);
    const source = find(items, t.fromStore, line.sku);
    const recalled = { ...destination, inTransit: destination.inTransit - line.qty, version: destination.version + 1 };
    const returned = { ...source, onHand: source.onHand + line.qty, version: source.version + 1 };
    moved.push(recalled, returned);
    events.push(
      stockItemEventDraft(recalled, STOCK_EVENT_TYPES.transferred, { transferId: t.transferId, step: "recalled", qty: line.qty }),
      stockItemEventDraft(returned, STOCK_EVENT_TYPES.transferred, { transferId: t.transferId, step: "returned", qty: line.qty }),
    );
  }
  return { transfer, items: moved, events };
};
