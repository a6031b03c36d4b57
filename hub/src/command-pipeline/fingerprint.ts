import { createHash } from "node:crypto";

const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === "object"
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;

/** What makes two requests "the same request" for idempotency: method, path, precondition and body, key order aside. */
export const requestFingerprint = (parts: { method: string; path: string; ifMatch: string | undefined; body: unknown }): string =>
  createHash("sha256")
    .update(JSON.stringify([parts.method, parts.path, parts.ifMatch ?? null, canonical(parts.body)]))
    .digest("base64url");
