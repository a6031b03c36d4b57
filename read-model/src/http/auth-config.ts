import { readFileSync } from "node:fs";
import { z } from "zod";
import type { JsonWebKey } from "node:crypto";
import type { TokenCheck } from "@inventory/shared";
import type { AuthenticateOptions } from "./authenticate.js";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** The development signing secret: documented, so it must never sign anything in production. */
export const DEV_SIGNING_SECRET = "inventory-development-signing-secret-not-for-production";

/** Authentication settings, read by the hub and by every agent. */
export const authEnvSchema = z.object({
  NODE_ENV: z.string().default("development"),
  /** HS256 secret for tokens signed by this site. Outside production it defaults to DEV_SIGNING_SECRET. */
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  /** RS256 public keys of an identity provider: a JWKS file, or a URL fetched at start. */
  AUTH_JWKS_PATH: z.string().optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_AUDIENCE: z.string().min(1).default("inventory"),
  AUTH_ISSUER: z.string().optional(),
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  /** Accept the static DEV_TOKEN as an admin. Refused in production. */
  ALLOW_DEV_TOKEN: bool.default(false),
  DEV_TOKEN: z.string().min(8).default("devtoken"),
  /** Reads are open by default; set to require a valid token on them too. */
  READS_REQUIRE_TOKEN: bool.default(false),
});
export type AuthEnv = z.infer<typeof authEnvSchema>;

const fetchJwks = async (url: string): Promise<JsonWebKey[]> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`);
  return ((await res.json()) as { keys: JsonWebKey[] }).keys;
};

/** Turns the settings into what `authenticate` needs; fails fast on a configuration that is unsafe. */
export const loadAuthOptions = async (env: AuthEnv): Promise<AuthenticateOptions> => {
  const production = env.NODE_ENV === "production";
  if (production && env.ALLOW_DEV_TOKEN) throw new Error("ALLOW_DEV_TOKEN must not be set in production");
  if (production && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_PATH && !env.AUTH_JWKS_URL) {
    throw new Error("production needs AUTH_JWT_SECRET or AUTH_JWKS_PATH or AUTH_JWKS_URL");
  }
  const rs256Keys = env.AUTH_JWKS_PATH
    ? (JSON.parse(readFileSync(env.AUTH_JWKS_PATH, "utf8")) as { keys: JsonWebKey[] }).keys
    : env.AUTH_JWKS_URL
      ? await fetchJwks(env.AUTH_JWKS_URL)
      : undefined;
  const hs256Secret = env.AUTH_JWT_SECRET ?? (production || rs256Keys ? undefined : DEV_SIGNING_SECRET);
  const check: TokenCheck = {
    ...(hs256Secret ? { hs256Secret } : {}),
    ...(rs256Keys ? { rs256Keys } : {}),
    audience: env.AUTH_AUDIENCE,
    ...(env.AUTH_ISSUER ? { issuer: env.AUTH_ISSUER } : {}),
    clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
  };
  return env.ALLOW_DEV_TOKEN ? { check, devToken: env.DEV_TOKEN } : { check };
};
