/** A JSON Web Key as an identity provider publishes it, with the members that decide what it may verify. */
export interface PublishedKey {
  readonly kty?: unknown;
  readonly use?: unknown;
  readonly alg?: unknown;
  readonly crv?: unknown;
  readonly kid?: unknown;
  readonly key_ops?: unknown;
  readonly [member: string]: unknown;
}

/** The asymmetric signatures a token may carry, and the key type (and curve) each needs. */
export const ASYMMETRIC_TOKEN_ALGORITHMS = {
  RS256: { kty: "RSA" },
  ES256: { kty: "EC", crv: "P-256" },
  EdDSA: { kty: "OKP", crv: "Ed25519" },
  Ed25519: { kty: "OKP", crv: "Ed25519" },
} as const satisfies Record<string, { kty: string; crv?: string }>;

export type AsymmetricTokenAlgorithm = keyof typeof ASYMMETRIC_TOKEN_ALGORITHMS;

const fits = (key: PublishedKey, alg: AsymmetricTokenAlgorithm) => {
  const need: { kty: string; crv?: string } = ASYMMETRIC_TOKEN_ALGORITHMS[alg];
  return key.kty === need.kty && (need.crv === undefined || key.crv === need.crv);
};

/**
 * The keys of a JWKS that may verify a token signature: public signing keys (`use` absent or `sig`, `key_ops`
 * absent or with `verify`) of a type one of the accepted algorithms takes, and whose own `alg`, when they
 * name one, is accepted. Encryption keys, private or symmetric members and other algorithms are left out.
 */
export const usableSigningKeys = (keys: readonly unknown[]): PublishedKey[] =>
  keys.filter((k): k is PublishedKey => {
    if (typeof k !== "object" || k === null) return false;
    const key = k as PublishedKey;
    if (key.use !== undefined && key.use !== "sig") return false;
    if (key.key_ops !== undefined && !(Array.isArray(key.key_ops) && key.key_ops.includes("verify"))) return false;
    if ("d" in key || key.kty === "oct") return false;
    const algs = Object.keys(ASYMMETRIC_TOKEN_ALGORITHMS) as AsymmetricTokenAlgorithm[];
    if (key.alg !== undefined) return algs.includes(key.alg as AsymmetricTokenAlgorithm) && fits(key, key.alg as AsymmetricTokenAlgorithm);
    return algs.some((alg) => fits(key, alg));
  });
