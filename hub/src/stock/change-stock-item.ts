import { isFailure, type Failure, type StockDecision, type StockItem } from "@inventory/shared";
import type { CommandContext, CommandHandler, StagedPlan } from "../command-pipeline/command-handler.js";
import { lockStockItem, saveStockItem } from "./stock-item-rows.js";
import { stockItemReply } from "./stock-item-reply.js";

/**
 * The shape every single-item stock command shares: lock, decide (pure), save, emit, answer. In a batch the
 * item is decided against the row the batch holds; one that never held stock is created by the handler.
 */
export const changeStockItem = (storeId: string, sku: string, decide: (item: StockItem) => StockDecision | Failure): CommandHandler => {
  const handler = async (ctx: CommandContext) => {
    const item = await lockStockItem(ctx.tx, storeId, sku);
    if (isFailure(item)) return item;
    const decision = decide(item);
    if (isFailure(decision)) return decision;
    await saveStockItem(ctx.tx, decision.next, ctx.now);
    const events = decision.events.map(ctx.emit);
    return stockItemReply(decision.next, events[events.length - 1]);
  };
  const staged: StagedPlan = {
    sku,
    decide: (rows, emit) => {
      const row = rows.get(storeId);
      if (!row) return null;
      const decision = decide(row.item);
      if (isFailure(decision)) return { outcome: decision, changed: [] };
      const events = decision.events.map(emit);
      return { outcome: stockItemReply(decision.next, events[events.length - 1]), changed: [decision.next] };
    },
  };
  return Object.assign(handler, { staged });
};
