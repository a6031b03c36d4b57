import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "./logger.js";

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Longest time a client may take to send its headers. Default 10000. */
  readonly headersTimeoutMs?: number;
  /** Longest time a client may take to send a whole request. Default 30000. */
  readonly requestTimeoutMs?: number;
}

/** Starts an HTTP server with bounded header and request times, so slow clients cannot hold it. Resolves once listening. */
export const serveHttp = (app: Hono<never> | { fetch: Hono["fetch"] }, options: ServeOptions, log: Logger): Promise<Server> =>
  new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info) => {
      log.info("listening", { port: info.port, host: options.host });
      resolve(server as Server);
    }) as Server;
    server.headersTimeout = options.headersTimeoutMs ?? 10_000;
    server.requestTimeout = options.requestTimeoutMs ?? 30_000;
    server.keepAliveTimeout = 5_000;
  });
