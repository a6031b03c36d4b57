import { describe, expect, it } from "vitest";
import { countsDigest, reconciliationKey, recountLineKey, uuidV5 } from "./idempotency-key.js";

describe("uuidV5", () => {
  it("given the RFC's DNS namespace and www.example.com, then it gives the well-known UUID", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("gives a version 5, RFC-variant UUID", () => {
    expect(uuidV5("anything")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("recountLineKey", () => {
  it("given the same count reference, store, SKU and count, then the key is the same every time", () => {
    expect(recountLineKey("S1-2025-01-31", "S1", "A1", 5)).toBe(recountLineKey("S1-2025-01-31", "S1", "A1", 5));
  });

  it("given any one part different, then the key is different", () => {
    const key = recountLineKey("ref", "S1", "A1", 5);
    expect(
      new Set([
        key,
        recountLineKey("ref2", "S1", "A1", 5),
        recountLineKey("ref", "S2", "A1", 5),
        recountLineKey("ref", "S1", "A2", 5),
        recountLineKey("ref", "S1", "A1", 6),
      ]).size,
    ).toBe(5);
  });

  it("given parts that would run together, then they stay apart", () => {
    expect(recountLineKey("a", "S1", "A1", 15)).not.toBe(recountLineKey("a", "S1", "A11", 5));
  });

  it("is accepted as an Idempotency-Key (printable ASCII, at most 255)", () => {
    expect(recountLineKey("x".repeat(128), "S1", "A1", 1)).toMatch(/^[\x21-\x7e]{36}$/);
  });
});

describe("countsDigest and reconciliationKey", () => {
  it("given the same counts, then the digest is the same whatever the file's spacing and comments were", () => {
    expect(countsDigest([{ sku: "A1", onHand: 5 }])).toBe(countsDigest([{ sku: "A1", onHand: 5 }]));
  });

  it("given a different count or order, then the digest differs", () => {
    const a = countsDigest([
      { sku: "A1", onHand: 5 },
      { sku: "B2", onHand: 1 },
    ]);
    expect(
      countsDigest([
        { sku: "A1", onHand: 6 },
        { sku: "B2", onHand: 1 },
      ]),
    ).not.toBe(a);
    expect(
      countsDigest([
        { sku: "B2", onHand: 1 },
        { sku: "A1", onHand: 5 },
      ]),
    ).not.toBe(a);
  });

  it("given the same reference, store and digest, then the reconciliation key is stable, and differs from any line key", () => {
    const digest = countsDigest([{ sku: "A1", onHand: 5 }]);
    expect(reconciliationKey("ref", "S1", digest)).toBe(reconciliationKey("ref", "S1", digest));
    expect(reconciliationKey("ref", "S1", digest)).not.toBe(reconciliationKey("ref", "S2", digest));
    expect(reconciliationKey("ref", "S1", digest)).not.toBe(recountLineKey("ref", "S1", "A1", 5));
  });
});
