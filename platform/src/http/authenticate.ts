import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { authorize, failure, isFailure, type Action, type Principal } from "@inventory/shared";
import { failureResponse } from "./error-response.js";
import type { VerifyToken } from "./token-verifier.js";

export type AuthVariables = { principal: Principal };

export interface AuthenticateOptions {
  /** Checks a signed token (see `createTokenVerifier`). */
  readonly verify: VerifyToken;
  /** A static development token that acts as an admin; set only when explicitly allowed. */
  readonly devToken?: string;
}

export const DEV_TOKEN_PRINCIPAL: Principal = { subject: "dev-token", roles: ["admin"], stores: [] };

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Requires `Authorization: Bearer <token>`: a signed JWT (or the development token when allowed).
 * A missing or invalid token is a 401 with WWW-Authenticate; the caller becomes `principal`.
 */
export const authenticate =
  (options: AuthenticateOptions): MiddlewareHandler<{ Variables: AuthVariables }> =>
  async (c, next) => {
    const match = /^Bearer\s+(\S{1,8192})$/i.exec(c.req.header("Authorization") ?? "");
    if (!match) return failureResponse(c, failure("UNAUTHORIZED", "send Authorization: Bearer <token>"));
    const token = match[1]!;
    if (options.devToken !== undefined && timingSafeEqual(digest(token), digest(options.devToken))) {
      c.set("principal", DEV_TOKEN_PRINCIPAL);
      return next();
    }
    const principal = await options.verify(token);
    if (isFailure(principal)) return failureResponse(c, principal);
    c.set("principal", principal);
    await next();
  };

/** After `authenticate`: refuses with 403 a caller whose roles do not grant `action`. */
export const requireAction =
  (action: Action): MiddlewareHandler<{ Variables: AuthVariables }> =>
  async (c, next) => {
    const denied = authorize(c.get("principal"), action);
    if (denied) return failureResponse(c, denied);
    await next();
  };
