import { Hono } from "hono";

export interface DependencyCheck {
  readonly ok: boolean;
  /** A dependency this process cannot serve without; others are reported but do not fail readiness. */
  readonly required: boolean;
  readonly detail?: string;
}

export type ReadinessProbe = () => Promise<Record<string, DependencyCheck>>;

/** `/health`: the process is alive. `/ready`: 503, naming what is down, while a required dependency fails. */
export const healthRoutes = (probe: ReadinessProbe) =>
  new Hono()
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/ready", async (c) => {
      const checks = await probe();
      const ready = Object.values(checks).every((check) => check.ok || !check.required);
      if (ready) return c.json({ status: "ready", checks });
      const down = Object.entries(checks)
        .filter(([, check]) => !check.ok && check.required)
        .map(([name]) => name);
      return c.json({ status: "unavailable", code: "UNAVAILABLE", message: `not ready: ${down.join(", ")} down`, down, checks }, 503, {
        "Retry-After": "2",
      });
    });
