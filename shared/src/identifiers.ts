import { z } from "zod";

/** Store and SKU ids: short, printable, safe in Kafka keys, SQL, log lines and URLs. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const storeIdSchema = z
  .string()
  .regex(IDENTIFIER_PATTERN, "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit");
export const skuSchema = storeIdSchema;

/** Free text that ends up in events (reasons, references, names): bounded, no control characters. */
export const labelSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");

/** Largest absolute stock quantity accepted anywhere; keeps every sum well inside 2^53 and PostgreSQL integer. */
export const MAX_QUANTITY = 1_000_000_000;

export const quantitySchema = z.number().int().min(0).max(MAX_QUANTITY);
export const deltaSchema = z.number().int().min(-MAX_QUANTITY).max(MAX_QUANTITY);

export const itemKey = (storeId: string, sku: string) => `${storeId}:${sku}`;

/** The store and SKU an `itemKey` names, or undefined when it names none (neither id holds a `:`). */
export const parseItemKey = (key: string): { storeId: string; sku: string } | undefined => {
  const colon = key.indexOf(":");
  const storeId = key.slice(0, colon);
  const sku = key.slice(colon + 1);
  return colon > 0 && IDENTIFIER_PATTERN.test(storeId) && IDENTIFIER_PATTERN.test(sku) ? { storeId, sku } : undefined;
};
