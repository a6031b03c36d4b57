import { describe, expect, it } from "vitest";
import { Partitioners, type PartitionMetadata } from "kafkajs";
import { storeAffinePartitioner, storePartition } from "./store-affine-partitioner.js";

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
const partitionOf = (key: string, n = 6) =>
  storeAffinePartitioner()({ topic: "t", partitionMetadata: metadata(n), message: { key, value: "v" } });
const defaultPartitionOf = (key: string, n = 6) =>
  Partitioners.DefaultPartitioner()({ topic: "t", partitionMetadata: metadata(n), message: { key, value: "v" } });

describe("store-affine partitioning", () => {
  it("given keys {storeId}:{sku}, then every key of a store lands on its store's partition, the one the bare store id hashes to", () => {
    const stores = Array.from({ length: 200 }, (_, i) => `S${i}`);
    for (const storeId of stores) {
      const expected = storePartition(storeId, 6);
      expect(expected).toBe(defaultPartitionOf(storeId));
      for (const sku of ["A1", "B2", "MUG-1", "SKU-000123"]) expect(partitionOf(`${storeId}:${sku}`)).toBe(expected);
      expect(partitionOf(`${storeId}:res-${storeId}-1`)).toBe(expected);
    }
    // The stores still spread over every partition.
    expect(new Set(stores.map((s) => storePartition(s, 6))).size).toBe(6);
    expect(new Set(stores.map((s) => storePartition(s, 64))).size).toBeGreaterThan(50);
  });

  it("given a key without a store part, then it is partitioned as kafkajs's default partitioner would", () => {
    for (const key of ["T-1", "transfer-42", "A1", "S1"]) expect(partitionOf(key)).toBe(defaultPartitionOf(key));
  });

  it("given a key whose store part differs, then the whole-key partition no longer decides: two items of one store agree where the default would not", () => {
    const keys = Array.from({ length: 50 }, (_, i) => `S7:SKU-${i}`);
    expect(new Set(keys.map((k) => defaultPartitionOf(k))).size).toBeGreaterThan(1);
    expect(new Set(keys.map((k) => partitionOf(k))).size).toBe(1);
  });
});
