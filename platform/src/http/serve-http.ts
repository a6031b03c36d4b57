import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "./logger.js";
import { guardBodySize } from "./body-size-guard.js";

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
}

/** Starts an HTTP server with bounded header and request times, so slow clients cannot hold it. Resolves once listening. */
export const serveHttp = (app: Hono<never> | { fetch: Hono["fetch"] }, options: ServeOptions, log: Logger): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer();
    // Unread bodies are drained by the guard, within its caps, instead of the adapter's fixed 500 ms.
    guardBodySize(server, getRequestListener(app.fetch, { autoCleanupIncoming: false }), {
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
