import { Hono } from "hono";
import { z } from "zod";
import { authenticate, requireAction, type AuthenticateOptions, type AuthVariables } from "@inventory/platform";
import { failureResponse } from "@inventory/platform";
import type { ReplicaHandle } from "./replica-handle.js";

const rebuildRequestSchema = z.strictObject({ projection: z.string().max(100).optional() });

/**
 * An operator's controls for one process's own replica: its status, and a rebuild from offset zero
 * while the current replica keeps serving.
 */
export const projectionRoutes = (replica: ReplicaHandle, options: { auth: AuthenticateOptions; name: string; statusRoute: boolean }) => {
  const app = new Hono<{ Variables: AuthVariables }>();
  for (const path of ["/v1/projections/status", "/v1/projections/rebuild"]) {
    app.use(path, authenticate(options.auth), requireAction("operations"));
  }
  app.post("/v1/projections/rebuild", async (c) => {
    let raw: unknown = {};
    const text = await c.req.text();
    if (text.trim() !== "") {
      try {
        raw = JSON.parse(text);
      } catch {
        return failureResponse(c, { code: "VALIDATION_ERROR", message: "body is not valid JSON" });
      }
    }
    const body = rebuildRequestSchema.safeParse(raw);
    if (!body.success) return failureResponse(c, { code: "VALIDATION_ERROR", message: body.error.issues[0]?.message ?? "invalid body" });
    if (body.data.projection !== undefined && body.data.projection !== options.name) {
      return failureResponse(c, {
        code: "NOT_FOUND",
        message: `this process serves projection ${options.name}, not ${body.data.projection}`,
      });
    }
    return c.json({ projection: options.name, ...replica.rebuild() }, 202);
  });
  if (options.statusRoute) {
    app.get("/v1/projections/status", (c) => {
      const status = replica.status();
      return c.json({ projections: [{ projection: options.name, ...status, partitions: replica.store().positions() }] });
    });
  }
  return app;
};
