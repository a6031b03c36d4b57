import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";

export interface BodySizeGuardOptions {
  /** The largest body the routes accept; a declared length above it gets no `100 Continue`. */
  readonly maxBodyBytes: number;
  /** Most bytes of an unread body discarded after the answer before the connection is cut. Default 16 MiB. */
  readonly drainMaxBytes?: number;
  /** Longest time spent discarding an unread body after the answer before the connection is cut. Default 5000. */
  readonly drainMaxMs?: number;
}

const declaredLength = (req: IncomingMessage): number | undefined => {
  const header = req.headers["content-length"];
  return header === undefined ? undefined : Number(header);
};

/**
 * After an answer sent before the body was read (a 413, or a 401 on a write), reads and discards the rest
 * of the body, within a byte cap and a time cap, as nginx's lingering close does: a client still sending
 * then reads the answer instead of a connection reset. Past either cap the connection is cut.
 */
const drainUnreadBody = (req: IncomingMessage, maxBytes: number, maxMs: number) => {
  if (req.complete || req.destroyed) return;
  let discarded = 0;
  const cut = () => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(cut, maxMs);
  timer.unref();
  // The adapter's body stream may still listen and pause the request when its queue fills: nobody reads it now.
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxBytes) cut();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
};

/**
 * Routes requests to `listener` with `Expect: 100-continue` answered only for a declared body within
 * the limit (a larger one is answered 413 by the routes without the client ever sending it), and every
 * body left unread by an answer drained within bounds before the connection is reused or closed.
 */
export const guardBodySize = (server: Server, listener: RequestListener, options: BodySizeGuardOptions) => {
  const drainMaxBytes = options.drainMaxBytes ?? 16 * 1024 * 1024;
  const drainMaxMs = options.drainMaxMs ?? 5000;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    res.once("finish", () => drainUnreadBody(req, drainMaxBytes, drainMaxMs));
    listener(req, res);
  };
  server.on("request", handle);
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const length = declaredLength(req);
    if (length === undefined || !(length > options.maxBodyBytes)) res.writeContinue();
    handle(req, res);
  });
};
