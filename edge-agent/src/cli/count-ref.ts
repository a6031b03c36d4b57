import { cliFailure, type CliFailure } from "./cli-failure.js";

/** `YYYY-MM-DD` of a moment in the local time zone: the shop floor's day. */
export const localDay = (at: Date): string =>
  `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}-${String(at.getDate()).padStart(2, "0")}`;

/**
 * The count reference used when none is given: the store, the day and the first 8 hex digits of the counts'
 * digest. Re-running the same count on the same day gives the same reference (and so the same keys); a
 * different count the same day gets its own.
 */
export const defaultCountRef = (storeId: string, day: string, digest: string): string => `${storeId}-${day}-${digest.slice(0, 8)}`;

/** A count reference ends up in events: 1-128 characters, no control characters. */
export const checkCountRef = (ref: string): string | CliFailure => {
  if (ref.length < 1 || ref.length > 128) return cliFailure("usage", "--count-ref must be 1 to 128 characters");
  if ([...ref].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return cliFailure("usage", "--count-ref must not contain control characters");
  return ref;
};
