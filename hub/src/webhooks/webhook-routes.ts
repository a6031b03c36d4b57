import { randomUUID } from "node:crypto";
import { Hono, type Context } from "hono";
import {
  createWebhookRequestSchema,
  failure,
  isFailure,
  webhookDeliveryListQuerySchema,
  webhookIdSchema,
  webhookListQuerySchema,
  type Failure,
} from "@inventory/shared";
import { authenticate, failureResponse, parseParam, parseQuery, requireAction, type AuthenticateOptions } from "@inventory/platform";
import type { Database } from "../db/database.js";
import type { CommandExecutor } from "../command-pipeline/execute-command.js";
import { answerFromDatabase } from "../command-pipeline/answer-from-database.js";
import { commandEndpoint, type HubRequestEnv } from "../command-pipeline/command-endpoint.js";
import { resolveTarget, type ResolveHost } from "./resolve-target.js";
import type { TargetPolicy } from "./target-address.js";
import { newWebhookSecret } from "./webhook-signature.js";
import { createWebhook, deleteWebhook, getWebhook, listWebhookDeliveries, listWebhooks } from "./webhook-subscriptions.js";

export interface WebhookRoutesDeps {
  readonly execute: CommandExecutor;
  readonly db: Database;
  readonly auth: AuthenticateOptions;
  readonly policy: TargetPolicy;
  readonly resolveHost: ResolveHost;
  /** Bound on resolving a subscription's host when it is created. */
  readonly resolveTimeoutMs: number;
}

const unknownWebhook = (webhookId: string) => failure("NOT_FOUND", `no webhook ${webhookId}`, { webhookId });

/**
 * `/v1/webhooks`: subscriptions to stock changes, delivered by the hubs' dispatchers (never from a request). All
 * of it needs a token with the operator (or admin) role, whatever READS_REQUIRE_TOKEN says.
 */
export const webhookRoutes = (deps: WebhookRoutesDeps) => {
  const precheck = async (body: { url: string }): Promise<Failure | undefined> => {
    const host = new URL(body.url).hostname;
    const target = await resolveTarget(host, deps.policy, deps.resolveHost, deps.resolveTimeoutMs);
    if (target.kind === "allowed") return undefined;
    return failure("WEBHOOK_TARGET_REFUSED", `the webhook url is refused: ${target.reason}`, {
      host,
      ...(target.address ? { address: target.address } : {}),
    });
  };
  const withWebhook = (c: Context<HubRequestEnv>, then: (webhookId: string) => Promise<Response>) => {
    const webhookId = parseParam(c.req.param("webhookId") ?? "", "webhookId", webhookIdSchema);
    return isFailure(webhookId) ? failureResponse(c, webhookId) : answerFromDatabase(c, () => then(webhookId));
  };
  const manage = [authenticate(deps.auth), requireAction("webhooks:manage")] as const;

  return new Hono<HubRequestEnv>()
    .post(
      "/v1/webhooks",
      authenticate(deps.auth),
      commandEndpoint(deps.execute, createWebhookRequestSchema, { action: "webhooks:manage", precheck }, ({ body, principal }) =>
        createWebhook(body, principal, { webhookId: randomUUID(), secret: newWebhookSecret() }),
      ),
    )
    .get("/v1/webhooks", ...manage, (c) => {
      const query = parseQuery(c, webhookListQuerySchema);
      return isFailure(query) ? failureResponse(c, query) : answerFromDatabase(c, async () => c.json(await listWebhooks(deps.db, query)));
    })
    .get("/v1/webhooks/:webhookId", ...manage, (c) =>
      withWebhook(c, async (webhookId) => {
        const webhook = await getWebhook(deps.db, webhookId);
        return webhook ? c.json(webhook) : failureResponse(c, unknownWebhook(webhookId));
      }),
    )
    .delete("/v1/webhooks/:webhookId", ...manage, (c) =>
      withWebhook(c, async (webhookId) =>
        (await deleteWebhook(deps.db, webhookId)) ? c.body(null, 204) : failureResponse(c, unknownWebhook(webhookId)),
      ),
    )
    .get("/v1/webhooks/:webhookId/deliveries", ...manage, (c) =>
      withWebhook(c, async (webhookId) => {
        const query = parseQuery(c, webhookDeliveryListQuerySchema);
        if (isFailure(query)) return failureResponse(c, query);
        if (!(await getWebhook(deps.db, webhookId))) return failureResponse(c, unknownWebhook(webhookId));
        return c.json(await listWebhookDeliveries(deps.db, webhookId, query));
      }),
    );
};
