import { sql } from "drizzle-orm";
import { adjustOffline, isFailure, needsRecount, type OfflineAdjustment } from "@inventory/shared";
import { sqlCommand, type SqlCommand } from "../command-pipeline/command.js";
import { lockStockItem, saveStockItem } from "./stock-item-rows.js";
import { stockItemReply } from "./stock-item-reply.js";
import { stockItems } from "../db/schema.js";

/**
 * A sale or return an agent journaled while cut off, replayed with its original key and time. It runs with its
 * own SQL rather than as a stock command, because it also sets the item's recount flag (the next recount clears it).
 */
export const offlineAdjustment = (storeId: string, sku: string, command: OfflineAdjustment, maxAgeHours: number): SqlCommand =>
  sqlCommand(async (ctx) => {
    const item = await lockStockItem(ctx.tx, storeId, sku);
    if (isFailure(item)) return item;
    const decision = adjustOffline(item, command, { now: ctx.now, maxAgeHours });
    if (isFailure(decision)) return decision;
    await saveStockItem(ctx.tx, decision.next, ctx.now);
    const recountRequired = needsRecount(decision.next);
    if (recountRequired) {
      await ctx.tx.execute(sql`
        UPDATE ${stockItems} SET recount_required_since = COALESCE(recount_required_since, ${ctx.now.toISOString()}::timestamptz)
        WHERE store_id = ${storeId} AND sku = ${sku}`);
    }
    const events = decision.events.map(ctx.emit);
    const reply = stockItemReply(decision.next, events[0]);
    return { ...reply, body: { ...reply.body, offline: true, occurredAt: command.occurredAt, recountRequired } };
  });
