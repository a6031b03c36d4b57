import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { AuthenticateOptions } from "./authenticate.js";
import type { Logger } from "./logger.js";
import { loadRemoteJwks, signingKeySet, type KeyLookup } from "./remote-jwks.js";
import { createTokenVerifier } from "./token-verifier.js";
import { withVerifiedTokenCache } from "./verified-token-cache.js";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** The development signing secret: documented, so it must never sign anything in production. */
export const DEV_SIGNING_SECRET = "inventory-development-signing-secret-not-for-production";

/** Authentication settings, read by the hub and by every agent. */
export const authEnvSchema = z.object({
  NODE_ENV: z.string().default("development"),
  /** HS256 secret for tokens signed by this site. Outside production it defaults to DEV_SIGNING_SECRET. */
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  /** Public keys of an identity provider (RS256, ES256, EdDSA): a JWKS file, or a URL fetched at start and on key rotation. */
  AUTH_JWKS_PATH: z.string().optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  /** Where the keys last fetched from AUTH_JWKS_URL are kept; default `.data/jwks-<hash of the URL>.json`. */
  AUTH_JWKS_CACHE_PATH: z.string().min(1).optional(),
  AUTH_JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** A token naming an unknown key fetches the JWKS again, at most this often. */
  AUTH_JWKS_REFRESH_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /** Keys older than this are fetched again in the background. */
  AUTH_JWKS_MAX_AGE_MS: z.coerce.number().int().min(1000).max(604_800_000).default(600_000),
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

const jwksCachePath = (env: AuthEnv, url: string) =>
  env.AUTH_JWKS_CACHE_PATH ?? `.data/jwks-${createHash("sha256").update(url).digest("hex").slice(0, 16)}.json`;

const loadKeys = async (env: AuthEnv, log: Logger): Promise<KeyLookup | undefined> => {
  if (env.AUTH_JWKS_PATH) return signingKeySet((JSON.parse(readFileSync(env.AUTH_JWKS_PATH, "utf8")) as { keys: unknown[] }).keys);
  if (!env.AUTH_JWKS_URL) return undefined;
  return loadRemoteJwks({
    url: env.AUTH_JWKS_URL,
    cachePath: jwksCachePath(env, env.AUTH_JWKS_URL),
    timeoutMs: env.AUTH_JWKS_TIMEOUT_MS,
    refreshMinIntervalMs: env.AUTH_JWKS_REFRESH_MIN_INTERVAL_MS,
    maxAgeMs: env.AUTH_JWKS_MAX_AGE_MS,
    log,
  });
};

/** Turns the settings into what `authenticate` needs; fails fast on a configuration that is unsafe. */
export const loadAuthOptions = async (env: AuthEnv, log: Logger): Promise<AuthenticateOptions> => {
  const production = env.NODE_ENV === "production";
  if (production && env.ALLOW_DEV_TOKEN) throw new Error("ALLOW_DEV_TOKEN must not be set in production");
  if (production && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_PATH && !env.AUTH_JWKS_URL) {
    throw new Error("production needs AUTH_JWT_SECRET or AUTH_JWKS_PATH or AUTH_JWKS_URL");
  }
  const keys = await loadKeys(env, log);
  const hs256Secret = env.AUTH_JWT_SECRET ?? (production || keys ? undefined : DEV_SIGNING_SECRET);
  const verify = withVerifiedTokenCache(
    createTokenVerifier({
      ...(hs256Secret ? { hs256Secret } : {}),
      ...(keys ? { keys } : {}),
      audience: env.AUTH_AUDIENCE,
      ...(env.AUTH_ISSUER ? { issuer: env.AUTH_ISSUER } : {}),
      clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
    }),
    { maxEntries: 1000, maxAgeSeconds: 60, clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS },
  );
  return env.ALLOW_DEV_TOKEN ? { verify, devToken: env.DEV_TOKEN } : { verify };
};
