import type { KafkaMessage } from "kafkajs";
import { describe, expect, it } from "vitest";
import { recordBytes } from "./record-bytes.js";

const message = (key: string | null, value: string | null, headers: KafkaMessage["headers"] = {}): KafkaMessage => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers,
  offset: "0",
  timestamp: "0",
  attributes: 0,
});

describe("recordBytes", () => {
  it("given records with keys, values and headers, then it counts the bytes of each, multi-byte characters as their UTF-8 bytes", () => {
    const bytes = recordBytes([message("S1:A1", '{"onHand":3}', { traceId: Buffer.from("abc"), note: "é" }), message(null, "x")]);
    expect(bytes).toBe(5 + 12 + ("traceId".length + 3) + ("note".length + 2) + 1);
  });

  it("given a tombstone and no records, then a missing value weighs nothing", () => {
    expect(recordBytes([message("S1:A1", null)])).toBe(5);
    expect(recordBytes([])).toBe(0);
  });
});
