import { z } from "zod";
import { targetPolicyOf } from "./target-address.js";

/** The hub's webhook settings (part of its environment; see hub/src/env.ts). Units are in the names. */
export const webhookEnvSchema = z.object({
  /**
   * Which non-public addresses webhooks may reach: `false` (none: only public addresses, the default), `true` (any),
   * or CIDR networks, e.g. `127.0.0.0/8,::1/128` for a receiver on the hub's own host.
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .string()
    .default("false")
    .superRefine((value, ctx) => {
      try {
        targetPolicyOf(value);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  /** Bound on one delivery attempt, resolving the host included; also on resolving it when subscribing. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** A delivery still failing this long after its first attempt disables its subscription (24 h). */
  WEBHOOK_RETRY_WINDOW_MS: z.coerce.number().int().min(1000).default(86_400_000),
  /** Wait after a first failed attempt; it doubles after each further failure, up to WEBHOOK_RETRY_MAX_DELAY_MS. */
  WEBHOOK_RETRY_FIRST_DELAY_MS: z.coerce.number().int().min(10).default(5000),
  WEBHOOK_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** Deliveries one hub sends at once. */
  WEBHOOK_DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  /** How often a hub looks for due deliveries (retries, and those another hub queued). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(500),
});
