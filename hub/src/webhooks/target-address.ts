import { BlockList, isIP } from "node:net";

/**
 * Networks a webhook must never reach unless the deployment allows them: this host, private networks, link-local
 * (cloud metadata services live at 169.254.169.254), carrier-grade NAT, documentation, benchmarking, multicast and
 * reserved ranges, and IPv6 forms that embed an IPv4 address (NAT64, 6to4; BlockList matches IPv4-mapped addresses by the IPv4 rules) so none can smuggle one past.
 */
const NON_PUBLIC: readonly [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["192.0.2.0", 24, "ipv4"],
  ["192.88.99.0", 24, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["198.51.100.0", 24, "ipv4"],
  ["203.0.113.0", 24, "ipv4"],
  ["224.0.0.0", 4, "ipv4"],
  ["240.0.0.0", 4, "ipv4"],
  ["::", 128, "ipv6"],
  ["::1", 128, "ipv6"],
  ["64:ff9b::", 96, "ipv6"],
  ["64:ff9b:1::", 48, "ipv6"],
  ["100::", 64, "ipv6"],
  ["2001::", 23, "ipv6"],
  ["2001:db8::", 32, "ipv6"],
  ["2002::", 16, "ipv6"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["fec0::", 10, "ipv6"],
  ["ff00::", 8, "ipv6"],
];

const nonPublic = new BlockList();
for (const [network, prefix, family] of NON_PUBLIC) nonPublic.addSubnet(network, prefix, family);

const familyOf = (address: string): "ipv4" | "ipv6" | undefined => {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
};

/** Is this IP address one anyone on the internet could be reached at? Anything that is not an IP address is not. */
export const isPublicAddress = (address: string): boolean => {
  const family = familyOf(address);
  return family !== undefined && !nonPublic.check(address, family);
};

/** Which addresses a webhook may be sent to: public ones, and the non-public networks the deployment allows. */
export interface TargetPolicy {
  allows(address: string): boolean;
  /** The setting as given, for logs. */
  readonly description: string;
}

/**
 * The policy `WEBHOOK_ALLOW_PRIVATE_TARGETS` names: `false` (public addresses only), `true` (any address), or a
 * comma-separated list of CIDR networks also allowed, e.g. `127.0.0.0/8,::1/128` for a receiver on this host.
 * Throws on anything else, naming the part it could not read.
 */
export const targetPolicyOf = (setting: string): TargetPolicy => {
  const value = setting.trim();
  if (value === "" || value === "false") return { allows: isPublicAddress, description: "public addresses only" };
  if (value === "true") return { allows: (address) => familyOf(address) !== undefined, description: "any address" };
  const allowed = new BlockList();
  for (const part of value.split(",").map((p) => p.trim())) {
    const match = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(part);
    const family = match ? familyOf(match[1]!) : undefined;
    const prefix = Number(match?.[2]);
    if (!match || !family || prefix > (family === "ipv4" ? 32 : 128)) {
      throw new Error(`WEBHOOK_ALLOW_PRIVATE_TARGETS: "${part}" is not true, false or a CIDR network like 127.0.0.0/8`);
    }
    allowed.addSubnet(match[1]!, prefix, family);
  }
  return {
    allows: (address) => {
      const family = familyOf(address);
      return family !== undefined && (!nonPublic.check(address, family) || allowed.check(address, family));
    },
    description: `public addresses and ${value}`,
  };
};

/** The host of a URL as an address when it is one (`[::1]` → `::1`), else undefined: a name to resolve. */
export const literalAddressOf = (hostname: string): string | undefined => {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return familyOf(bare) ? bare : undefined;
};
