import { z } from "zod";
import type { ServeOptions } from "./serve-http.js";

/** The HTTP settings the hub and every agent read from their environment alike (each has its own PORT default). */
export const httpServerEnvSchema = z.object({
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Comment lines on an open change stream this often. */
  STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Change streams one caller may hold open at once (429 beyond). */
  STREAM_MAX_PER_CALLER: z.coerce.number().int().min(1).default(5),
  /** After an answer sent before a body was read (a 413), most bytes of it discarded before the connection is cut. */
  BODY_DRAIN_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(16 * 1024 * 1024),
  /** ... and the longest time spent discarding them. */
  BODY_DRAIN_MAX_MS: z.coerce.number().int().min(0).default(5000),
});

export type HttpServerEnv = z.infer<typeof httpServerEnvSchema>;

/** What `serveHttp` takes from those settings. */
export const serveOptionsOf = (env: HttpServerEnv & { readonly PORT: number; readonly HOST: string }): ServeOptions => ({
  port: env.PORT,
  host: env.HOST,
  maxBodyBytes: env.MAX_BODY_BYTES,
  drainMaxBytes: env.BODY_DRAIN_MAX_BYTES,
  drainMaxMs: env.BODY_DRAIN_MAX_MS,
});
