import { failure, storeRegisteredDraft, type CreateStoreRequest } from "@inventory/shared";
import { stores } from "../db/schema.js";
import { sqlCommand, type SqlCommand } from "../command-pipeline/command.js";

export const createStore = (request: CreateStoreRequest): SqlCommand =>
  sqlCommand(async (ctx) => {
    const store = { storeId: request.storeId, name: request.name, latencyMs: request.latencyMs ?? null };
    const inserted = await ctx.tx
      .insert(stores)
      .values({ ...store, createdAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return failure("ALREADY_EXISTS", `store ${request.storeId} already exists`, { storeId: request.storeId });
    ctx.emit(storeRegisteredDraft(store));
    return { status: 201, body: store, headers: { Location: `/v1/stores/${encodeURIComponent(store.storeId)}` } };
  });
