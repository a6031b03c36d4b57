import { and, desc, eq, getTableColumns, type SQL } from "drizzle-orm";
import type {
  CreateWebhookRequest,
  Principal,
  WebhookDeliveryListPage,
  WebhookDeliveryListQuery,
  WebhookDeliveryStatus,
  WebhookListPage,
  WebhookListQuery,
  WebhookStatus,
  WebhookView,
} from "@inventory/shared";
import type { Database } from "../db/database.js";
import { webhookDeliveries, webhookSubscriptions } from "../db/schema.js";
import type { CommandHandler } from "../commands/command-handler.js";
import { beforeCursor, createdAtMicros, toPage } from "../queries/list-page.js";

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;

const webhookView = (r: SubscriptionRow): WebhookView => ({
  webhookId: r.webhookId,
  url: r.url,
  eventTypes: r.eventTypes,
  sku: r.sku,
  storeId: r.storeId,
  description: r.description,
  status: r.status as WebhookStatus,
  disabledReason: r.disabledReason,
  disabledAt: r.disabledAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

/**
 * Stores a subscription and answers it with its secret, the only time the secret is shown (a retry under the
 * same Idempotency-Key replays this answer to the same caller). Deliveries start with the changes made from now on.
 */
export const createWebhook =
  (request: CreateWebhookRequest, principal: Principal, ids: { webhookId: string; secret: string }): CommandHandler =>
  async (ctx) => {
    const [row] = await ctx.tx
      .insert(webhookSubscriptions)
      .values({
        webhookId: ids.webhookId,
        url: request.url,
        eventTypes: [...new Set(request.eventTypes)],
        sku: request.sku ?? null,
        storeId: request.storeId ?? null,
        description: request.description ?? null,
        secret: ids.secret,
        status: "ACTIVE",
        createdAt: ctx.now,
        createdBy: principal.subject,
      })
      .returning();
    return {
      status: 201,
      body: { ...webhookView(row!), secret: ids.secret },
      headers: { Location: `/v1/webhooks/${ids.webhookId}` },
    };
  };

export const getWebhook = async (db: Database, webhookId: string): Promise<WebhookView | undefined> => {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.webhookId, webhookId));
  return row ? webhookView(row) : undefined;
};

/** Answers whether there was one. Its queued deliveries go with it. */
export const deleteWebhook = async (db: Database, webhookId: string): Promise<boolean> => {
  const deleted = await db
    .delete(webhookSubscriptions)
    .where(eq(webhookSubscriptions.webhookId, webhookId))
    .returning({ id: webhookSubscriptions.webhookId });
  return deleted.length > 0;
};

/** Subscriptions, newest first. */
export const listWebhooks = async (db: Database, query: WebhookListQuery): Promise<WebhookListPage> => {
  const t = webhookSubscriptions;
  const rows = await db
    .select({ ...getTableColumns(t), micros: createdAtMicros(t.createdAt) })
    .from(t)
    .where(query.cursor ? beforeCursor(t.createdAt, t.webhookId, query.cursor) : undefined)
    .orderBy(desc(t.createdAt), desc(t.webhookId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (r) => r.webhookId, webhookView);
};

/** A subscription's deliveries, newest first, each with its attempts so far. */
export const listWebhookDeliveries = async (
  db: Database,
  webhookId: string,
  query: WebhookDeliveryListQuery,
): Promise<WebhookDeliveryListPage> => {
  const t = webhookDeliveries;
  const filters: (SQL | undefined)[] = [eq(t.webhookId, webhookId)];
  if (query.status !== undefined) filters.push(eq(t.status, query.status));
  if (query.cursor !== undefined) filters.push(beforeCursor(t.createdAt, t.deliveryId, query.cursor));
  const rows = await db
    .select({ ...getTableColumns(t), micros: createdAtMicros(t.createdAt) })
    .from(t)
    .where(and(...filters))
    .orderBy(desc(t.createdAt), desc(t.deliveryId))
    .limit(query.limit + 1);
  return toPage(
    rows,
    query.limit,
    (r) => r.deliveryId,
    (r) => ({
      deliveryId: r.deliveryId,
      eventId: r.eventId,
      eventType: r.eventType,
      item: r.itemKey,
      status: r.status as WebhookDeliveryStatus,
      attempts: r.attempts,
      createdAt: r.createdAt.toISOString(),
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
      lastResponseStatus: r.lastResponseStatus,
      lastError: r.lastError,
      nextAttemptAt: r.status === "PENDING" ? r.nextAttemptAt.toISOString() : null,
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
    }),
  );
};
