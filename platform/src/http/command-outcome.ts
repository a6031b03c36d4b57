import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Metrics } from "../metrics.js";

/** What a write came to, as the command-outcome metric reads it; set only through `recordOutcome`. */
export type OutcomeVariables = { outcomeCode?: string; replayed?: boolean };

export const recordOutcome = (c: Context, code: string, replayed = false) => {
  const typed = c as Context<{ Variables: OutcomeVariables }>;
  typed.set("outcomeCode", code);
  typed.set("replayed", replayed);
};

/** Counts every write by route and outcome: the code recorded for it, else OK or HTTP_<status>. */
export const countCommandOutcomes =
  (metrics: Metrics): MiddlewareHandler<{ Variables: OutcomeVariables }> =>
  async (c, next) => {
    await next();
    const code = c.get("outcomeCode") ?? (c.res.status < 400 ? "OK" : `HTTP_${c.res.status}`);
    metrics.commandOutcomes.inc({ route: routePath(c, -1), code, replayed: String(c.get("replayed") ?? false) });
  };
