import { createHash } from "node:crypto";
import type { CountLine } from "./parse-count-csv.js";

/** The namespace of every key the CLI derives, so they never collide with keys other clients derive. */
export const CLI_KEY_NAMESPACE = "3d4c1f9a-7b52-4c6e-9a0e-51c2b7d8e4f1";

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");

/** A name-based UUID (RFC 9562 version 5: SHA-1 of namespace and name): the same name always gives the same key. */
export const uuidV5 = (name: string, namespace: string = CLI_KEY_NAMESPACE): string => {
  const hash = createHash("sha1").update(uuidBytes(namespace)).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A digest of what was counted, in file order; comments, blank lines, spacing and the header do not change it. */
export const countsDigest = (counts: readonly Pick<CountLine, "sku" | "onHand">[]): string =>
  createHash("sha256")
    .update(counts.map((c) => `${c.sku},${c.onHand}\n`).join(""))
    .digest("hex");

/**
 * The Idempotency-Key of one recount line: the same count reference, store, SKU and counted value always give
 * the same key, so re-sending a line the hub already applied replays its first answer instead of applying it again.
 */
export const recountLineKey = (countRef: string, storeId: string, sku: string, onHand: number): string =>
  uuidV5(JSON.stringify(["items:set-absolute", countRef, storeId, sku, onHand]));

/** The Idempotency-Key of one reconciliation: the count reference, the store and the digest of its counts. */
export const reconciliationKey = (countRef: string, storeId: string, digest: string): string =>
  uuidV5(JSON.stringify(["reconciliations", countRef, storeId, digest]));
