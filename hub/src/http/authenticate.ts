import { timingSafeEqual, createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { failure } from "@inventory/shared";
import { failureResponse } from "@inventory/read-model";

/** Who is calling. Idempotency keys are scoped to `subject`. */
export interface Principal {
  readonly subject: string;
}

export type AuthVariables = { principal: Principal };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Accepts `Authorization: Bearer <token>` with the configured static token; anything else is a 401. */
export const requireBearerToken =
  (token: string): MiddlewareHandler<{ Variables: AuthVariables }> =>
  async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(\S{1,4096})$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), digest(token))) {
      return failureResponse(c, failure("UNAUTHORIZED", match ? "the bearer token is not valid" : "send Authorization: Bearer <token>"));
    }
    c.set("principal", { subject: "static-token" });
    await next();
  };
