import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createLocalJWKSet, errors, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from "jose";
import { usableSigningKeys } from "@inventory/shared";
import type { Logger } from "./logger.js";

/** Finds the key for a token's header, as jose's `jwtVerify` asks for it. */
export type KeyLookup = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

export interface RemoteJwksOptions {
  readonly url: string;
  /** Where the last keys fetched are kept, so that a restart while the identity provider is unreachable still verifies. */
  readonly cachePath: string;
  /** Each fetch of the JWKS gives up after this long. */
  readonly timeoutMs: number;
  /** A token with an unknown `kid` fetches the JWKS again at most this often: a flood of made-up kids costs one fetch. */
  readonly refreshMinIntervalMs: number;
  /** Keys older than this are fetched again in the background when a token is checked, so withdrawn keys go. */
  readonly maxAgeMs: number;
  readonly log: Logger;
  readonly now?: () => number;
}

interface CachedJwks {
  readonly url: string;
  readonly fetchedAt: number;
  readonly keys: JSONWebKeySet["keys"];
}

/** A JWKS's signing keys: only public signing keys of an accepted type and algorithm (see `usableSigningKeys`). */
export const signingKeySet = (keys: readonly unknown[]): KeyLookup =>
  createLocalJWKSet({ keys: usableSigningKeys(keys) as JSONWebKeySet["keys"] });

const readCache = async (options: RemoteJwksOptions): Promise<CachedJwks | undefined> => {
  try {
    const cached = JSON.parse(await readFile(options.cachePath, "utf8")) as Partial<CachedJwks>;
    return cached.url === options.url && Array.isArray(cached.keys) && typeof cached.fetchedAt === "number"
      ? (cached as CachedJwks)
      : undefined;
  } catch {
    return undefined;
  }
};

const writeCache = async (path: string, cached: CachedJwks) => {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(cached));
  await rename(temporary, path);
};

/**
 * An identity provider's keys, fetched from its JWKS URL at start, kept on disk, and fetched again when a token
 * names a key that is not known yet (a key rotation), at most once per `refreshMinIntervalMs`. Fails at start only
 * when the URL cannot be fetched and no earlier fetch was kept.
 */
export const loadRemoteJwks = async (options: RemoteJwksOptions): Promise<KeyLookup> => {
  const now = options.now ?? Date.now;
  let keys: KeyLookup | undefined;
  let fetchedAt = -Infinity;
  let lastAttempt = -Infinity;
  let inFlight: Promise<boolean> | undefined;

  const fetchKeys = async (): Promise<boolean> => {
    lastAttempt = now();
    const res = await fetch(options.url, { signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`JWKS ${options.url} answered ${res.status}`);
    const body = (await res.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error(`JWKS ${options.url} has no keys array`);
    const usable = usableSigningKeys(body.keys) as JSONWebKeySet["keys"];
    keys = createLocalJWKSet({ keys: usable });
    fetchedAt = now();
    await writeCache(options.cachePath, { url: options.url, fetchedAt, keys: usable }).catch((err: unknown) =>
      options.log.warn("JWKS not kept on disk", { path: options.cachePath, error: err }),
    );
    options.log.info("JWKS fetched", { url: options.url, keys: usable.length, ignored: body.keys.length - usable.length });
    return true;
  };

  /** One fetch at a time, and none sooner than the interval after the last one; true when new keys arrived. */
  const refresh = (): Promise<boolean> => {
    if (inFlight) return inFlight;
    if (now() - lastAttempt < options.refreshMinIntervalMs) return Promise.resolve(false);
    inFlight = fetchKeys()
      .catch((err: unknown) => {
        options.log.warn("JWKS fetch failed; keeping the keys already known", { url: options.url, error: err });
        return false;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const cached = await readCache(options);
  try {
    await fetchKeys();
  } catch (err) {
    if (!cached) throw new Error(`cannot fetch the JWKS from ${options.url} and no copy is kept at ${options.cachePath}`, { cause: err });
    keys = signingKeySet(cached.keys);
    fetchedAt = cached.fetchedAt;
    options.log.warn("JWKS unreachable; verifying with the keys kept on disk", {
      url: options.url,
      fetchedAt: new Date(cached.fetchedAt).toISOString(),
      error: err,
    });
  }

  return async (header, token) => {
    if (now() - fetchedAt > options.maxAgeMs) void refresh();
    try {
      return await keys!(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || !(await refresh())) throw err;
      return keys!(header, token);
    }
  };
};
