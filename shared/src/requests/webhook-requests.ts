import { z } from "zod";
import { skuSchema, storeIdSchema } from "../identifiers.js";
import { STOCK_EVENT_TYPES } from "../stock-events.js";
import { listCursorSchema, listLimitSchema, type ListPage } from "./operator-list-queries.js";

/** The stock event types a webhook can subscribe to: the changes the stream shows. */
export const WEBHOOK_EVENT_TYPES = Object.values(STOCK_EVENT_TYPES) as [string, ...string[]];

/** A webhook target: an absolute http(s) URL without credentials or fragment, at most 2,000 characters. */
export const webhookUrlSchema = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an absolute URL" });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") ctx.addIssue({ code: "custom", message: "must be http or https" });
    if (url.username !== "" || url.password !== "") ctx.addIssue({ code: "custom", message: "must not carry credentials" });
    if (url.hash !== "") ctx.addIssue({ code: "custom", message: "must not carry a fragment" });
    if (url.hostname === "") ctx.addIssue({ code: "custom", message: "must name a host" });
  });

export const createWebhookRequestSchema = z.strictObject({
  url: webhookUrlSchema,
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
  /** Only changes of this SKU; every SKU when absent. */
  sku: skuSchema.optional(),
  /** Only changes at this store; every store when absent. */
  storeId: storeIdSchema.optional(),
  description: z
    .string()
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, "must not contain control characters")
    .optional(),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;

/** Subscription ids are UUIDs the hub made. */
export const webhookIdSchema = z.string().uuid();

export const WEBHOOK_STATUSES = ["ACTIVE", "DISABLED"] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

export interface WebhookView {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly sku: string | null;
  readonly storeId: string | null;
  readonly description: string | null;
  readonly status: WebhookStatus;
  /** Why the hub stopped delivering (the retry window ran out), when DISABLED. */
  readonly disabledReason: string | null;
  readonly disabledAt: string | null;
  readonly createdAt: string;
}

/** The answer to a subscription: its view and, this once, the signing secret. */
export interface CreatedWebhook extends WebhookView {
  readonly secret: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ["PENDING", "DELIVERED", "FAILED"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookDeliveryView {
  /** The `webhook-id` header: the same on every attempt of this delivery. */
  readonly deliveryId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** `{storeId}:{sku}`: deliveries of one item go out in order, one at a time. */
  readonly item: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly createdAt: string;
  readonly lastAttemptAt: string | null;
  /** The receiver's HTTP status on the last attempt, null when it gave none (timeout, refused connection). */
  readonly lastResponseStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
}

export const webhookListQuerySchema = z.object({ limit: listLimitSchema, cursor: listCursorSchema });
export type WebhookListQuery = z.infer<typeof webhookListQuerySchema>;

export const webhookDeliveryListQuerySchema = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  limit: listLimitSchema,
  cursor: listCursorSchema,
});
export type WebhookDeliveryListQuery = z.infer<typeof webhookDeliveryListQuerySchema>;

export type WebhookListPage = ListPage<WebhookView>;
export type WebhookDeliveryListPage = ListPage<WebhookDeliveryView>;
