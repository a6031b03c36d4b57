import { hash } from "node:crypto";
import type { Context } from "hono";
import { requestHeader } from "./request-header.js";
import { setResponseHeader } from "./response-header.js";

/** A JSON body and its strong ETag, ready to be sent as often as it stays true. */
export interface PreparedJson {
  readonly text: string;
  readonly tag: string;
}

export const prepareJson = (value: unknown): PreparedJson => {
  const text = JSON.stringify(value);
  return { text, tag: `"${hash("sha1", text, "hex")}"` };
};

/** Whether an If-None-Match value names `tag` or is `*` (weakly compared, as RFC 9110 asks of If-None-Match). */
export const holdsTag = (ifNoneMatch: string | undefined, tag: string): boolean =>
  ifNoneMatch?.split(",").some((t) => {
    const held = t.trim();
    return held === "*" || held.replace(/^W\//, "") === tag;
  }) ?? false;

/**
 * Answers a read with a prepared JSON body and its ETag, or 304 when the caller already holds it. The body stays
 * a plain string, which the Node adapter writes directly; hashing a finished response means cloning and
 * streaming it (a third of the cost).
 */
export const sendPreparedJson = (c: Context, { text, tag }: PreparedJson) => {
  setResponseHeader(c, "ETag", tag);
  // The 304 names the held body's type: without one the Node adapter labels it text/plain, which a cache would
  // copy onto the JSON it holds.
  if (holdsTag(requestHeader(c, "if-none-match"), tag)) return c.body(null, 304, { "Content-Type": "application/json" });
  return c.body(text, 200, { "Content-Type": "application/json" });
};

/** Answers a read with its JSON body and a strong ETag of that body, or 304 when the caller already holds it. */
export const jsonWithEtag = (c: Context, value: unknown) => sendPreparedJson(c, prepareJson(value));
