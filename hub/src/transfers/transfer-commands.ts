import {
  authorize,
  completeTransfer,
  dispatchTransfer,
  failTransfer,
  isFailure,
  mergeLines,
  receiveTransfer,
  requestTransfer,
  transferView,
  type CreateTransferRequest,
  type StepOutcome,
  type StockItem,
  type Transfer,
  type Action,
  type TransferStatus,
  failure,
} from "@inventory/shared";
import { sqlCommand, type SqlCommand } from "../command-pipeline/command.js";
import { saveStockItems } from "../reservations/reservation-rows.js";
import { insertTransfer, lockTransfer, lockTransferItems, saveTransfer } from "./transfer-rows.js";

/** Records the request; the saga takes it from there, driven by the transfer's own events. */
export const createTransfer = (request: CreateTransferRequest, transferId: string): SqlCommand =>
  sqlCommand(async (ctx) => {
    const decision = requestTransfer({
      transferId,
      fromStore: request.fromStore,
      toStore: request.toStore,
      lines: mergeLines(request.lines),
      receipt: request.receipt,
      now: ctx.now,
    });
    await insertTransfer(ctx.tx, decision.transfer);
    decision.events.forEach(ctx.emit);
    return { status: 202, body: transferView(decision.transfer), headers: { Location: `/v1/transfers/${transferId}` } };
  });

type Step = (t: Transfer, items: readonly StockItem[], now: Date) => StepOutcome;

/**
 * One saga step in one transaction: the transfer row first, then its items. A step whose items cannot be
 * found (unknown store or SKU) ends the transfer FAILED; a step in the wrong status answers INVALID_STATE
 * and changes nothing, which is what makes a redelivered event harmless.
 */
const transferStep = (
  transferId: string,
  decide: Step,
  options: { expects: TransferStatus; needsItems: boolean; access?: Action },
): SqlCommand =>
  sqlCommand(async (ctx) => {
    const transfer = await lockTransfer(ctx.tx, transferId);
    if (isFailure(transfer)) return transfer;
    const notHere = options.access ? authorize(ctx.principal, options.access, transfer.toStore) : undefined;
    if (notHere) return notHere;
    if (transfer.status !== options.expects) {
      return failure("INVALID_STATE", `transfer ${transferId} is ${transfer.status}, not ${options.expects}`, { status: transfer.status });
    }
    let items: StockItem[] = [];
    if (options.needsItems) {
      const locked = await lockTransferItems(ctx.tx, transfer);
      if (isFailure(locked)) {
        if (transfer.status !== "REQUESTED") return locked;
        const failed = failTransfer(transfer, ctx.now, locked.message);
        await saveTransfer(ctx.tx, failed.transfer);
        failed.events.forEach(ctx.emit);
        return { status: 202, body: transferView(failed.transfer) };
      }
      items = locked;
    }
    const decision = decide(transfer, items, ctx.now);
    if (isFailure(decision)) return decision;
    await saveTransfer(ctx.tx, decision.transfer);
    await saveStockItems(ctx.tx, decision.items, ctx.now);
    decision.events.forEach(ctx.emit);
    return { status: 202, body: transferView(decision.transfer) };
  });

export const dispatchTransferCommand = (transferId: string) =>
  transferStep(transferId, dispatchTransfer, { expects: "REQUESTED", needsItems: true });
/** A clerk may receive only into their own store. */
export const receiveTransferCommand = (transferId: string) =>
  transferStep(transferId, receiveTransfer, { expects: "DISPATCHED", needsItems: true, access: "transfer:receive" });
export const completeTransferCommand = (transferId: string) =>
  transferStep(transferId, (t, _items, now) => completeTransfer(t, now), { expects: "RECEIVED", needsItems: false });
