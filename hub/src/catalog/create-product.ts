import { sql } from "drizzle-orm";
import {
  chooseStoreForNewProduct,
  failure,
  productCreatedDraft,
  STOCK_EVENT_TYPES,
  stockItemEventDraft,
  type CreateProductRequest,
  type StockItem,
} from "@inventory/shared";
import { products, stockItems, stores } from "../db/schema.js";
import { sqlCommand, type SqlCommand } from "../command-pipeline/command.js";

/** Creates a product and places its first units in the store holding the fewest units overall. */
export const createProduct = (request: CreateProductRequest): SqlCommand =>
  sqlCommand(async (ctx) => {
    const inserted = await ctx.tx
      .insert(products)
      .values({ sku: request.sku, name: request.name, createdAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return failure("ALREADY_EXISTS", `product ${request.sku} already exists`, { sku: request.sku });
    const totals = await ctx.tx.execute<{ storeId: string; totalOnHand: string }>(sql`
      SELECT s.store_id AS "storeId", coalesce(sum(i.on_hand), 0) AS "totalOnHand"
      FROM ${stores} s LEFT JOIN ${stockItems} i ON i.store_id = s.store_id
      GROUP BY s.store_id`);
    const storeId = chooseStoreForNewProduct(totals.rows.map((r) => ({ storeId: r.storeId, totalOnHand: Number(r.totalOnHand) })));
    if (storeId === undefined) return failure("NO_STORES", "register a store before creating products");
    const item: StockItem = { storeId, sku: request.sku, onHand: request.initialOnHand, reserved: 0, inTransit: 0, version: 1 };
    await ctx.tx.insert(stockItems).values({ ...item, updatedAt: ctx.now });
    ctx.emit(productCreatedDraft({ sku: request.sku, name: request.name }));
    ctx.emit(stockItemEventDraft(item, STOCK_EVENT_TYPES.adjusted, { delta: request.initialOnHand, reason: "initial" }));
    return { status: 202, body: { sku: request.sku, name: request.name, storeId, onHand: request.initialOnHand } };
  });
