import { createHmac } from "node:crypto";
import type { TokenClaims } from "./token-claims.js";

const b64 = (value: string) => Buffer.from(value).toString("base64url");

/**
 * Signs an HS256 token, synchronously, for the development token printer and for tests, which build tokens
 * at module scope. Verification is `jose`'s (read-model's token verifier); this only writes the three parts.
 */
export const signHs256Token = (claims: TokenClaims, secret: string): string => {
  const body = `${b64(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64(JSON.stringify(claims))}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
};
