import { z } from "zod";
import { IDENTIFIER_PATTERN } from "./identifiers.js";

/**
 * What a replica must have applied to reflect a write: the aggregates the write produced, each with the
 * version it left them at. It names rows, never Kafka partitions or offsets, so it means the same to every
 * replica (the hub's, any agent's, a rebuilt one) whatever the topics' partitioning.
 */
export interface ConsistencyToken {
  readonly entries: readonly ConsistencyEntry[];
}

export interface ConsistencyEntry {
  /** The aggregate type of the event (`stock-item`, `reservation`, `transfer`, `store`, `product`). */
  readonly type: string;
  /** The aggregate id (`<storeId>:<sku>` for a stock item). */
  readonly id: string;
  readonly version: number;
}

/** Rows one token names at most; a write that changed more (a large reconciliation) names its first ones. */
export const MAX_TOKEN_ENTRIES = 128;
/** Longest token written or accepted, so that it always fits in a request header. */
export const MAX_TOKEN_LENGTH = 8192;
/** JSON bytes whose base64url stays within MAX_TOKEN_LENGTH with the prefix. */
const MAX_JSON_LENGTH = Math.floor(((MAX_TOKEN_LENGTH - 3) * 3) / 4) - 2;

const TOKEN_PREFIX = "c1.";
const TYPE_PATTERN = /^[a-z][a-z-]{0,31}$/;
const ID_PATTERN = new RegExp(`^${IDENTIFIER_PATTERN.source.slice(1, -1)}(:${IDENTIFIER_PATTERN.source.slice(1, -1)})?$`);

const wireSchema = z
  .array(z.tuple([z.string().regex(TYPE_PATTERN), z.string().regex(ID_PATTERN), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]))
  .max(MAX_TOKEN_ENTRIES);

/** The token of a write's events: per aggregate the highest version it produced, in first-seen order. */
export const tokenOfAggregates = (aggregates: readonly ConsistencyEntry[]): ConsistencyToken => {
  const byKey = new Map<string, ConsistencyEntry>();
  for (const a of aggregates) {
    const key = `${a.type}\u0000${a.id}`;
    const seen = byKey.get(key);
    if (!seen || seen.version < a.version) byKey.set(key, { type: a.type, id: a.id, version: a.version });
  }
  const entries: ConsistencyEntry[] = [];
  let length = 2;
  for (const e of byKey.values()) {
    length += JSON.stringify([e.type, e.id, e.version]).length + 1;
    if (entries.length >= MAX_TOKEN_ENTRIES || length > MAX_JSON_LENGTH) break;
    entries.push(e);
  }
  return { entries };
};

/** Opaque to clients: `c1.` and the entries as base64url JSON. */
export const encodeConsistencyToken = (token: ConsistencyToken): string =>
  TOKEN_PREFIX + Buffer.from(JSON.stringify(token.entries.map((e) => [e.type, e.id, e.version]))).toString("base64url");

/** The token a client sent, or undefined for anything this code did not write. */
export const decodeConsistencyToken = (text: string): ConsistencyToken | undefined => {
  if (text.length > MAX_TOKEN_LENGTH || !text.startsWith(TOKEN_PREFIX)) return undefined;
  const body = text.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const parsed = wireSchema.safeParse(raw);
  return parsed.success ? { entries: parsed.data.map(([type, id, version]) => ({ type, id, version })) } : undefined;
};

/** Merges tokens a client holds into one that names the highest version of each row (bounded as any token). */
export const mergeConsistencyTokens = (tokens: readonly ConsistencyToken[]): ConsistencyToken =>
  tokenOfAggregates(tokens.flatMap((t) => t.entries));

/** Prefer: wait=<ms> (RFC 7240), bounded; anything else in the header is ignored, as the RFC asks. */
export const preferredWaitMs = (prefer: string | undefined, defaultMs: number, maxMs: number): number => {
  const match = prefer === undefined ? null : /(?:^|[,;\s])wait\s*=\s*"?(\d{1,9})"?/i.exec(prefer);
  return match ? Math.min(Number(match[1]), maxMs) : defaultMs;
};
