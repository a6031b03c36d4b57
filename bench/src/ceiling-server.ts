/**
 * The HTTP ceiling: a hello-world route on the project's stack (Hono on @hono/node-server), answering
 * a small JSON body like an availability read, with nothing behind it. `PORT`, `HOST` as the real processes.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono()
  .get("/health", (c) => c.json({ status: "ok" }))
  .get("/v1/availability", (c) => c.json({ sku: c.req.query("sku") ?? "", totalAvailable: 0, perStore: [] }));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 28090), hostname: process.env.HOST ?? "127.0.0.1" });
