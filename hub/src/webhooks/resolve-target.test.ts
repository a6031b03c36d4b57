import { describe, expect, it } from "vitest";
import { resolveTarget, type ResolveHost } from "./resolve-target.js";
import { targetPolicyOf } from "./target-address.js";

const names: Record<string, string[]> = {
  "shop.example": ["93.184.216.34"],
  "internal.example": ["10.0.0.7"],
  "split.example": ["93.184.216.34", "169.254.169.254"],
  "local.example": ["127.0.0.1"],
};
const fakeDns: ResolveHost = async (hostname) => {
  const found = names[hostname];
  if (!found) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
  return found.map((address) => ({ address, family: 4 }));
};
const publicOnly = targetPolicyOf("false");

describe("resolving a webhook target", () => {
  it("given a name with public addresses only, then it is allowed with them", async () => {
    expect(await resolveTarget("shop.example", publicOnly, fakeDns, 1000)).toEqual({
      kind: "allowed",
      addresses: [{ address: "93.184.216.34", family: 4 }],
    });
  });

  it("given a name that resolves to a private address, even among public ones, then it is refused naming the address", async () => {
    expect(await resolveTarget("internal.example", publicOnly, fakeDns, 1000)).toMatchObject({ kind: "refused", address: "10.0.0.7" });
    expect(await resolveTarget("split.example", publicOnly, fakeDns, 1000)).toMatchObject({
      kind: "refused",
      address: "169.254.169.254",
    });
  });

  it("given the loopback network allowed, then a loopback name passes and a private one still does not", async () => {
    const loopback = targetPolicyOf("127.0.0.0/8");
    expect((await resolveTarget("local.example", loopback, fakeDns, 1000)).kind).toBe("allowed");
    expect((await resolveTarget("local.example", publicOnly, fakeDns, 1000)).kind).toBe("refused");
    expect((await resolveTarget("internal.example", loopback, fakeDns, 1000)).kind).toBe("refused");
  });

  it("given IP literals, then they are checked without resolving", async () => {
    const never: ResolveHost = () => Promise.reject(new Error("resolver must not be asked"));
    expect(await resolveTarget("[::1]", publicOnly, never, 1000)).toMatchObject({ kind: "refused", address: "::1" });
    expect((await resolveTarget("8.8.8.8", publicOnly, never, 1000)).kind).toBe("allowed");
  });

  it("given a name that does not resolve, or a resolver that hangs, then it is refused in bounded time", async () => {
    expect(await resolveTarget("nowhere.example", publicOnly, fakeDns, 1000)).toMatchObject({
      kind: "refused",
      reason: "nowhere.example does not resolve (ENOTFOUND)",
    });
    const hang: ResolveHost = () => new Promise(() => undefined);
    const started = Date.now();
    expect(await resolveTarget("slow.example", publicOnly, hang, 50)).toMatchObject({ kind: "refused" });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
