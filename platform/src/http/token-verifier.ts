import { errors, jwtVerify, type CryptoKey, type JWTPayload, type JWTVerifyOptions } from "jose";
import { invalidToken, principalFromClaims, ASYMMETRIC_TOKEN_ALGORITHMS, type Failure, type Principal } from "@inventory/shared";
import type { KeyLookup } from "./remote-jwks.js";

/** How bearer tokens are checked. */
export interface TokenCheck {
  /** HS256 shared secret, for a single site. */
  readonly hs256Secret?: string;
  /** An identity provider's public keys (RS256, ES256, EdDSA): a JWKS file's, or a JWKS URL's kept fresh. */
  readonly keys?: KeyLookup;
  readonly audience: string;
  readonly issuer?: string;
  /** Tolerated clock difference for `exp` and `nbf`. */
  readonly clockSkewSeconds: number;
}

/** Checks a bearer token and reads who is calling from it. */
export type VerifyToken = (token: string, nowSeconds?: number) => Promise<Principal | Failure>;

const ASYMMETRIC = Object.keys(ASYMMETRIC_TOKEN_ALGORITHMS);

const whyRefused = (err: unknown): string => {
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "nbf") return "not valid yet";
    if (err.claim === "aud") return "wrong audience";
    if (err.claim === "iss") return "wrong issuer";
    if (err.claim === "exp") return "expired";
    return `the ${err.claim} claim is not valid`;
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return "malformed";
  if (err instanceof errors.JWKSNoMatchingKey) return "bad signature (no key for it)";
  return "bad signature";
};

/**
 * Checks a token's signature, time window (`exp` required), audience and issuer with `jose`, then who is
 * calling from its claims. HS256 tokens need the secret; RS256, ES256 and EdDSA tokens need the keys; any other
 * `alg`, `none` included, is refused. Every refusal is an UNAUTHORIZED failure that says why.
 */
export const createTokenVerifier = (check: TokenCheck): VerifyToken => {
  const secret = check.hs256Secret === undefined ? undefined : new TextEncoder().encode(check.hs256Secret);
  const algorithms = [...(secret ? ["HS256"] : []), ...(check.keys ? ASYMMETRIC : [])];
  const keyFor = async (header: { alg?: string }, token: Parameters<KeyLookup>[1]): Promise<CryptoKey | Uint8Array> => {
    if (header.alg === "HS256" && secret) return secret;
    if (check.keys && header.alg !== "HS256") return check.keys(header, token);
    throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
  };
  return async (token, nowSeconds) => {
    if (token.split(".").length !== 3) return invalidToken("not a JWT");
    const options: JWTVerifyOptions = {
      algorithms,
      audience: check.audience,
      clockTolerance: check.clockSkewSeconds,
      requiredClaims: ["exp"],
      ...(check.issuer === undefined ? {} : { issuer: check.issuer }),
      ...(nowSeconds === undefined ? {} : { currentDate: new Date(nowSeconds * 1000) }),
    };
    let payload: JWTPayload;
    try {
      payload = (await jwtVerify(token, keyFor, options)).payload;
    } catch (err) {
      if (!(err instanceof errors.JWKSMultipleMatchingKeys)) return invalidToken(whyRefused(err));
      // Several keys fit a token without a `kid`: the one that verifies it wins.
      let last: unknown = err;
      let verified: JWTPayload | undefined;
      for await (const key of err) {
        try {
          verified = (await jwtVerify(token, key, options)).payload;
          break;
        } catch (e) {
          last = e;
        }
      }
      if (!verified) return invalidToken(whyRefused(last));
      payload = verified;
    }
    return principalFromClaims(payload);
  };
};
