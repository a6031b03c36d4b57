import { describe, expect, it } from "vitest";
import { authorize, type Principal } from "./access-policy.js";

const clerkS1: Principal = { subject: "ana", roles: ["clerk"], stores: ["S1"] };
const shop: Principal = { subject: "web", roles: ["ecommerce"], stores: [] };
const office: Principal = { subject: "bo", roles: ["backoffice"], stores: [] };
const ops: Principal = { subject: "op", roles: ["operator"], stores: [] };
const admin: Principal = { subject: "root", roles: ["admin"], stores: [] };

describe("who may do what", () => {
  it("a clerk works at their own stores only", () => {
    expect(authorize(clerkS1, "stock:adjust", "S1")).toBeUndefined();
    expect(authorize(clerkS1, "stock:adjust", "S2")).toMatchObject({ code: "FORBIDDEN", details: { storeId: "S2" } });
    expect(authorize(clerkS1, "reservation:write", "S1")).toBeUndefined();
    expect(authorize(clerkS1, "purchase")).toMatchObject({ code: "FORBIDDEN" });
    expect(authorize(clerkS1, "reconciliation", "S1")).toMatchObject({ code: "FORBIDDEN" });
  });

  it("the web shop reserves and buys anywhere but does not count stock", () => {
    expect(authorize(shop, "reservation:write", "S3")).toBeUndefined();
    expect(authorize(shop, "purchase")).toBeUndefined();
    expect(authorize(shop, "stock:recount", "S1")).toMatchObject({ code: "FORBIDDEN" });
  });

  it("the back office runs recounts, reconciliations, transfers and the catalogue, not the operations endpoints", () => {
    for (const action of ["stock:recount", "reconciliation", "transfer:create", "catalog:write"] as const) {
      expect(authorize(office, action, "S2")).toBeUndefined();
    }
    expect(authorize(office, "operations")).toMatchObject({ code: "FORBIDDEN" });
  });

  it("an operator only operates and manages webhooks; an admin does everything", () => {
    expect(authorize(ops, "operations")).toBeUndefined();
    expect(authorize(ops, "webhooks:manage")).toBeUndefined();
    expect(authorize(office, "webhooks:manage")).toMatchObject({ code: "FORBIDDEN" });
    expect(authorize(shop, "webhooks:manage")).toMatchObject({ code: "FORBIDDEN" });
    expect(authorize(ops, "stock:adjust", "S1")).toMatchObject({ code: "FORBIDDEN" });
    expect(authorize(admin, "purchase")).toBeUndefined();
    expect(authorize(admin, "stock:adjust", "S9")).toBeUndefined();
  });
});
