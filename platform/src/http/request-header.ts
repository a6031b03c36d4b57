import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/**
 * A request header, read from Node's own parsed headers when the app runs on @hono/node-server: asking
 * the web Request instead builds a whole Headers object from the raw headers, which cost more than the
 * rest of an availability read. Without Node's request (`app.request()` in tests) it asks the web Request.
 * Repeated headers read as one value joined by ", ", as `Headers.get` gives them.
 */
export const requestHeader = (c: Context, lowerCaseName: string): string | undefined => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.headers === undefined) return c.req.header(lowerCaseName);
  return nodeRequestHeader(incoming, lowerCaseName);
};

/** A header of Node's own request, repeated ones joined by ", " as `Headers.get` gives them. */
export const nodeRequestHeader = (incoming: IncomingMessage, lowerCaseName: string): string | undefined => {
  const value = incoming.headers[lowerCaseName];
  return Array.isArray(value) ? value.join(", ") : value;
};
