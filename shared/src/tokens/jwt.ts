import { createHmac, createPublicKey, timingSafeEqual, verify, type JsonWebKey } from "node:crypto";
import { failure, type Failure } from "../errors.js";
import { ROLES, type Principal, type Role } from "../access-policy.js";
import { IDENTIFIER_PATTERN } from "../identifiers.js";

/** How bearer tokens are checked. Times are seconds since the epoch, as in JWT claims. */
export interface TokenCheck {
  /** HS256 shared secret, for a single site. */
  readonly hs256Secret?: string;
  /** RS256 public keys (a JWKS's `keys`), for a real identity provider. */
  readonly rs256Keys?: readonly JsonWebKey[];
  readonly audience: string;
  readonly issuer?: string;
  /** Tolerated clock difference for `exp` and `nbf`. */
  readonly clockSkewSeconds: number;
}

export interface TokenClaims {
  sub: string;
  aud: string | string[];
  exp: number;
  nbf?: number;
  iat?: number;
  iss?: string;
  roles: string[];
  stores?: string[];
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");
const json = (part: string): unknown => {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
};
const invalid = (why: string): Failure => failure("UNAUTHORIZED", `the bearer token is not valid: ${why}`);

/** Signs an HS256 token; used by the development token printer and by tests. */
export const signHs256Token = (claims: TokenClaims, secret: string): string => {
  const body = `${b64(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64(JSON.stringify(claims))}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
};

const signatureValid = (header: { alg?: unknown; kid?: unknown }, signed: string, signature: Buffer, check: TokenCheck): boolean => {
  if (header.alg === "HS256" && check.hs256Secret) {
    const expected = createHmac("sha256", check.hs256Secret).update(signed).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  }
  if (header.alg === "RS256" && check.rs256Keys?.length) {
    const keys = check.rs256Keys.filter((k) => header.kid === undefined || k.kid === header.kid);
    return keys.some((jwk) => {
      try {
        return verify("RSA-SHA256", Buffer.from(signed), createPublicKey({ key: jwk, format: "jwk" }), signature);
      } catch {
        return false;
      }
    });
  }
  return false;
};

/**
 * Checks a bearer token's signature, time window, audience and issuer, and reads who is calling from it.
 * Unknown roles are ignored; store ids that are not valid ids are dropped.
 */
export const verifyToken = (token: string, check: TokenCheck, nowSeconds: number): Principal | Failure => {
  const parts = token.split(".");
  if (parts.length !== 3) return invalid("not a JWT");
  const [head, payload, sig] = parts as [string, string, string];
  const header = json(head) as { alg?: unknown; kid?: unknown } | undefined;
  const claims = json(payload) as Partial<TokenClaims> | undefined;
  if (!header || typeof header !== "object" || !claims || typeof claims !== "object") return invalid("malformed");
  if (!signatureValid(header, `${head}.${payload}`, Buffer.from(sig, "base64url"), check)) return invalid("bad signature");
  if (typeof claims.exp !== "number" || claims.exp + check.clockSkewSeconds < nowSeconds) return invalid("expired");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf - check.clockSkewSeconds > nowSeconds)) {
    return invalid("not valid yet");
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(check.audience)) return invalid("wrong audience");
  if (check.issuer !== undefined && claims.iss !== check.issuer) return invalid("wrong issuer");
  if (typeof claims.sub !== "string" || claims.sub.length === 0 || claims.sub.length > 200) return invalid("no subject");
  const roles = (Array.isArray(claims.roles) ? claims.roles : []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  const stores = (Array.isArray(claims.stores) ? claims.stores : []).filter((s) => typeof s === "string" && IDENTIFIER_PATTERN.test(s));
  return { subject: claims.sub, roles, stores };
};
