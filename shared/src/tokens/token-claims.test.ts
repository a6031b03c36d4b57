import { describe, expect, it } from "vitest";
import { principalFromClaims } from "./token-claims.js";

describe("principalFromClaims", () => {
  it("given a subject, roles and stores, then the caller is made of them", () => {
    expect(principalFromClaims({ sub: "ana", roles: ["clerk"], stores: ["S1"] })).toEqual({
      subject: "ana",
      roles: ["clerk"],
      stores: ["S1"],
    });
  });

  it("given unknown roles and store ids that are not ids, then they are dropped", () => {
    expect(principalFromClaims({ sub: "ana", roles: ["clerk", "root"], stores: ["S1", "../x", 7] })).toEqual({
      subject: "ana",
      roles: ["clerk"],
      stores: ["S1"],
    });
  });

  it.each([[{}], [{ sub: "" }], [{ sub: 7 }], [{ sub: "x".repeat(201) }]])(
    "given no usable subject (%j), then the token is refused",
    (claims) => {
      expect(principalFromClaims(claims)).toMatchObject({ code: "UNAUTHORIZED", message: "the bearer token is not valid: no subject" });
    },
  );
});
