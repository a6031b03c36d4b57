import { isFailure, type StockItem } from "@inventory/shared";
import type { StockDecision } from "@inventory/shared";
import type { Failure } from "@inventory/shared";
import type { CommandHandler } from "./command-handler.js";
import { lockStockItem, saveStockItem } from "./stock-item-rows.js";
import { stockItemReply } from "./stock-item-reply.js";

/** The shape every single-item stock command shares: lock, decide (pure), save, emit, answer. */
export const changeStockItem =
  (storeId: string, sku: string, decide: (item: StockItem) => StockDecision | Failure): CommandHandler =>
  async (ctx) => {
    const item = await lockStockItem(ctx.tx, storeId, sku);
    if (isFailure(item)) return item;
    const decision = decide(item);
    if (isFailure(decision)) return decision;
    await saveStockItem(ctx.tx, decision.next, ctx.now);
    const events = decision.events.map(ctx.emit);
    return stockItemReply(decision.next, events[events.length - 1]);
  };
