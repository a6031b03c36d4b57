import { describe, expect, it } from "vitest";
import {
  decodeConsistencyToken,
  encodeConsistencyToken,
  MAX_TOKEN_ENTRIES,
  MAX_TOKEN_LENGTH,
  mergeConsistencyTokens,
  preferredWaitMs,
  tokenOfAggregates,
} from "./consistency-token.js";

describe("consistency token", () => {
  it("given a write's events, then it names each aggregate once at its highest version, and round-trips", () => {
    const token = tokenOfAggregates([
      { type: "stock-item", id: "S1:A1", version: 4 },
      { type: "reservation", id: "r-1", version: 1 },
      { type: "stock-item", id: "S1:A1", version: 5 },
    ]);
    expect(token.entries).toEqual([
      { type: "stock-item", id: "S1:A1", version: 5 },
      { type: "reservation", id: "r-1", version: 1 },
    ]);
    const text = encodeConsistencyToken(token);
    expect(text).toMatch(/^c1\.[A-Za-z0-9_-]+$/);
    expect(decodeConsistencyToken(text)).toEqual(token);
  });

  it("given more rows than a token holds, then it keeps the first ones", () => {
    const many = Array.from({ length: MAX_TOKEN_ENTRIES + 5 }, (_, i) => ({ type: "stock-item", id: `S1:K${i}`, version: 1 }));
    expect(tokenOfAggregates(many).entries).toHaveLength(MAX_TOKEN_ENTRIES);
    const long = Array.from({ length: 128 }, (_, i) => ({
      type: "stock-item",
      id: `${"S".repeat(60)}${i}:${"K".repeat(60)}${i}`,
      version: 123_456,
    }));
    const text = encodeConsistencyToken(tokenOfAggregates(long));
    expect(text.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    expect(decodeConsistencyToken(text)?.entries.length).toBeGreaterThan(30);
  });

  it("given anything it did not write, then decoding refuses it", () => {
    const wire = (value: unknown) => `c1.${Buffer.from(JSON.stringify(value)).toString("base64url")}`;
    for (const bad of [
      "",
      "c1.",
      "c2.W10",
      "c1.!!",
      "c1.bm90IGpzb24",
      wire({}),
      wire([["stock-item", "S1:A1", -1]]),
      wire([["stock-item", "S1 A1", 1]]),
      wire([["Bad", "A1", 1]]),
      "c1." + "A".repeat(20_000),
    ]) {
      expect(decodeConsistencyToken(bad), bad.slice(0, 30)).toBeUndefined();
    }
    expect(decodeConsistencyToken(wire([]))).toEqual({ entries: [] });
  });

  it("given two tokens, then the merge names the higher version of each row", () => {
    const a = tokenOfAggregates([{ type: "stock-item", id: "S1:A1", version: 2 }]);
    const b = tokenOfAggregates([
      { type: "stock-item", id: "S1:A1", version: 3 },
      { type: "store", id: "S9", version: 1 },
    ]);
    expect(mergeConsistencyTokens([a, b]).entries).toEqual([
      { type: "stock-item", id: "S1:A1", version: 3 },
      { type: "store", id: "S9", version: 1 },
    ]);
  });

  it("given Prefer headers, then the wait is the one asked for, bounded, or the default", () => {
    expect(preferredWaitMs(undefined, 1000, 5000)).toBe(1000);
    expect(preferredWaitMs("wait=250", 1000, 5000)).toBe(250);
    expect(preferredWaitMs("return=minimal, wait=9000", 1000, 5000)).toBe(5000);
    expect(preferredWaitMs("respond-async", 1000, 5000)).toBe(1000);
  });
});
