import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/** A new signing secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64. */
export const newWebhookSecret = (random: (size: number) => Buffer = randomBytes): string =>
  `${SECRET_PREFIX}${random(24).toString("base64")}`;

export interface SignedMessage {
  /** The `webhook-id` header: the same on every attempt of one delivery, so receivers can drop duplicates. */
  readonly id: string;
  /** The `webhook-timestamp` header, unix seconds. */
  readonly timestamp: number;
  readonly body: string;
}

/**
 * The `webhook-signature` header of the Standard Webhooks specification: `v1,` and the base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}`, keyed with the base64-decoded part of the `whsec_` secret.
 */
export const signWebhook = (message: SignedMessage, secret: string): string => {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  const mac = createHmac("sha256", key).update(`${message.id}.${message.timestamp}.${message.body}`).digest("base64");
  return `v1,${mac}`;
};

/** The headers one attempt carries. */
export const webhookHeaders = (message: SignedMessage, secret: string): Record<string, string> => ({
  "content-type": "application/json",
  "webhook-id": message.id,
  "webhook-timestamp": String(message.timestamp),
  "webhook-signature": signWebhook(message, secret),
});
