import type { ServerResponse } from "node:http";
import type { Context } from "hono";

/**
 * Sets a header on whatever response this request gets, on Node's own response object when the app runs
 * on @hono/node-server. `c.header()` makes Hono build a web Headers object for every response that carries
 * it, which cost more than an availability read itself; Node merges what is set here into the response's
 * own headers when it writes them. Without Node's response (`app.request()` in tests) it uses `c.header()`.
 */
export const setResponseHeader = (c: Context, name: string, value: string): void => {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing?.setHeader !== undefined && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
};
