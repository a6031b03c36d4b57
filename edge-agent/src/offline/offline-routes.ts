import { Hono } from "hono";
import { authenticate, requireAction, type AuthenticateOptions, type AuthVariables } from "@inventory/platform";
import type { OfflineJournal } from "./journal-store.js";
import type { OfflineSales } from "./offline-sales.js";

const parsed = (text: string | null): unknown => {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return text;
  }
};

/** An operator's view of the journal: how much waits, since when, the replay's progress, and what the hub refused. */
export const offlineRoutes = (options: { storeId: string; sales: OfflineSales; journal: OfflineJournal; auth: AuthenticateOptions }) =>
  new Hono<{ Variables: AuthVariables }>().get("/v1/offline/journal", authenticate(options.auth), requireAction("operations"), (c) =>
    c.json({
      storeId: options.storeId,
      ...options.sales.status(),
      refusedEntries: options.journal.refused(100).map((e) => ({
        seq: e.seq,
        idempotencyKey: e.idempotencyKey,
        sku: e.sku,
        delta: e.delta,
        occurredAt: e.occurredAt,
        hubStatus: e.hubStatus,
        hubReply: parsed(e.hubReply),
        settledAt: e.settledAt,
      })),
    }),
  );
