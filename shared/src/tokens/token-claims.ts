import { failure, type Failure } from "../errors.js";
import { ROLES, type Principal, type Role } from "../access-policy.js";
import { IDENTIFIER_PATTERN } from "../identifiers.js";

/** The claims of a bearer token that this product reads. Times are seconds since the epoch, as in JWT claims. */
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

/** Why a bearer token was refused, as the 401 says it. */
export const invalidToken = (why: string): Failure<"UNAUTHORIZED"> => failure("UNAUTHORIZED", `the bearer token is not valid: ${why}`);

/**
 * Who is calling, from the claims of a token whose signature, time window, audience and issuer were checked.
 * Unknown roles are ignored; store ids that are not valid ids are dropped.
 */
export const principalFromClaims = (claims: Readonly<Record<string, unknown>>): Principal | Failure => {
  const { sub } = claims;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 200) return invalidToken("no subject");
  const roles = (Array.isArray(claims.roles) ? claims.roles : []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  const stores = (Array.isArray(claims.stores) ? claims.stores : []).filter(
    (s): s is string => typeof s === "string" && IDENTIFIER_PATTERN.test(s),
  );
  return { subject: sub, roles, stores };
};
