import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { literalAddressOf, type TargetPolicy } from "./target-address.js";

/** Every address a host name resolves to (the system resolver, /etc/hosts included). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export type ResolvedTarget =
  | { readonly kind: "allowed"; readonly addresses: LookupAddress[] }
  | { readonly kind: "refused"; readonly reason: string; readonly address?: string };

/**
 * Where a webhook to `hostname` would connect, checked against the policy: every address the name resolves to
 * must be allowed, so a name that also points at an internal host is refused whichever address a connection picks.
 * The resolver's wait is bounded by `timeoutMs`.
 */
export const resolveTarget = async (
  hostname: string,
  policy: TargetPolicy,
  resolveHost: ResolveHost,
  timeoutMs: number,
): Promise<ResolvedTarget> => {
  const literal = literalAddressOf(hostname);
  if (literal !== undefined) {
    return policy.allows(literal)
      ? { kind: "allowed", addresses: [{ address: literal, family: literal.includes(":") ? 6 : 4 }] }
      : { kind: "refused", reason: `${literal} is not a public address`, address: literal };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`resolving ${hostname} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  let addresses: LookupAddress[];
  try {
    addresses = await Promise.race([resolveHost(hostname), timeout]);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return {
      kind: "refused",
      reason: typeof code === "string" ? `${hostname} does not resolve (${code})` : String((err as Error).message),
    };
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return { kind: "refused", reason: `${hostname} resolves to no address` };
  const refused = addresses.find((a) => !policy.allows(a.address));
  if (refused)
    return {
      kind: "refused",
      reason: `${hostname} resolves to ${refused.address}, which is not a public address`,
      address: refused.address,
    };
  return { kind: "allowed", addresses };
};
