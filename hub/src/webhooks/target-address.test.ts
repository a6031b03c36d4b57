import { describe, expect, it } from "vitest";
import { isPublicAddress, literalAddressOf, targetPolicyOf } from "./target-address.js";

describe("webhook target addresses", () => {
  it("given public addresses, then they are public", () => {
    for (const address of ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:82a::200e"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("given loopback, private, link-local, metadata and reserved addresses, then none is public", () => {
    const refused = [
      "127.0.0.1",
      "127.255.0.9",
      "0.0.0.0",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "198.18.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "64:ff9b::a00:1",
      "2002:7f00:1::",
      "ff02::1",
      "not-an-address",
    ];
    for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
    expect(isPublicAddress("172.32.0.1")).toBe(true);
    expect(isPublicAddress("11.0.0.1")).toBe(true);
  });

  it("given the setting, then false allows public only, true allows all, a CIDR list adds those networks", () => {
    expect(targetPolicyOf("false").allows("127.0.0.1")).toBe(false);
    expect(targetPolicyOf("false").allows("8.8.8.8")).toBe(true);
    expect(targetPolicyOf("true").allows("10.0.0.1")).toBe(true);
    const loopback = targetPolicyOf("127.0.0.0/8, ::1/128");
    expect(loopback.allows("127.0.0.1")).toBe(true);
    expect(loopback.allows("::1")).toBe(true);
    expect(loopback.allows("10.0.0.1")).toBe(false);
    expect(loopback.allows("169.254.169.254")).toBe(false);
    expect(loopback.allows("8.8.8.8")).toBe(true);
    expect(() => targetPolicyOf("yes")).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
    expect(() => targetPolicyOf("10.0.0.0/33")).toThrow(/10.0.0.0\/33/);
  });

  it("given URL hosts, then only IP literals come back as addresses", () => {
    expect(literalAddressOf("[::1]")).toBe("::1");
    expect(literalAddressOf("127.0.0.1")).toBe("127.0.0.1");
    expect(literalAddressOf("shop.example.com")).toBeUndefined();
  });
});
