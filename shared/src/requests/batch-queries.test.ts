import { describe, expect, it } from "vitest";
import { availabilityBatchQuerySchema, MAX_BATCH_SKUS } from "./batch-queries.js";

describe("availability batch query", () => {
  it("given SKUs named twice, when parsed, then each is read once in the order of first mention", () => {
    expect(availabilityBatchQuerySchema.parse({ skus: "B2,A1,B2" }).skus).toEqual(["B2", "A1"]);
  });

  it("given 200 SKUs, when parsed, then it is accepted; 201 are refused", () => {
    const skus = (n: number) => Array.from({ length: n }, (_, i) => `SKU-${i}`).join(",");
    expect(availabilityBatchQuerySchema.safeParse({ skus: skus(MAX_BATCH_SKUS) }).success).toBe(true);
    expect(availabilityBatchQuerySchema.safeParse({ skus: skus(MAX_BATCH_SKUS + 1) }).success).toBe(false);
  });

  it("given an empty list, an empty entry or a bad id, when parsed, then it is refused", () => {
    for (const skus of ["", "A1,,B2", "A1,bad sku", "A1,"])
      expect(availabilityBatchQuerySchema.safeParse({ skus }).success, skus).toBe(false);
    expect(availabilityBatchQuerySchema.safeParse({}).success).toBe(false);
  });
});
