import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "./logger.js";
import { guardBodySize } from "./body-size-guard.js";

/**
 * A request answered straight on Node's request and response, before the app's routing: true when it answered,
 * false to leave the request to the app. Only for hot reads whose whole answer is in memory; whatever it does not
 * recognise, or cannot answer exactly as the app would, it leaves to the app.
 */
export type DirectRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Longest time a client may take to send its headers. Default 10000. */
  readonly headersTimeoutMs?: number;
  /** Longest time a client may take to send a whole request. Default 30000. */
  readonly requestTimeoutMs?: number;
  /** The routes' body limit: a declared length above it is never invited with `100 Continue`. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Bytes of a body left unread by an answer (a 413) discarded before the connection is cut. Default 16 MiB. */
  readonly drainMaxBytes?: number;
  /** Time spent discarding a body left unread by an answer before the connection is cut. Default 5000. */
  readonly drainMaxMs?: number;
  /** Tried before the app for every request (see DirectRoute). */
  readonly direct?: DirectRoute;
}

/** A direct route that throws before it has answered leaves the request to the app, whose error handling answers it. */
const answerDirectly = (direct: DirectRoute, req: IncomingMessage, res: ServerResponse, log: Logger): boolean => {
  try {
    return direct(req, res);
  } catch (err) {
    log.warn("direct route failed; the app answers", { err, path: req.url });
    return res.headersSent;
  }
};

/** Starts an HTTP server with bounded header and request times, so slow clients cannot hold it. Resolves once listening. */
export const serveHttp = (app: Hono<never> | { fetch: Hono["fetch"] }, options: ServeOptions, log: Logger): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer();
    const routed = getRequestListener(app.fetch, { autoCleanupIncoming: false });
    const direct = options.direct;
    const listener = direct
      ? (req: IncomingMessage, res: ServerResponse) => answerDirectly(direct, req, res, log) || routed(req, res)
      : routed;
    // Unread bodies are drained by the guard, within its caps, instead of the adapter's fixed 500 ms.
    guardBodySize(server, listener, {
      maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
      drainMaxBytes: options.drainMaxBytes,
      drainMaxMs: options.drainMaxMs,
    });
    server.headersTimeout = options.headersTimeoutMs ?? 10_000;
    server.requestTimeout = options.requestTimeoutMs ?? 30_000;
    server.keepAliveTimeout = 5_000;
    server.listen(options.port, options.host, () => {
      const address = server.address();
      log.info("listening", { port: typeof address === "object" && address ? address.port : options.port, host: options.host });
      resolve(server);
    });
  });
