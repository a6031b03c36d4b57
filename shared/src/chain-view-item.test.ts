import { describe, expect, it } from "vitest";
import { decodeChainViewItem, encodeChainViewItem, type ChainViewItem } from "./chain-view-item.js";
import { parseItemKey } from "./identifiers.js";

const item: ChainViewItem = {
  storeId: "S12",
  sku: "P04711",
  onHand: 17,
  reserved: 2,
  inTransit: 3,
  version: 1204,
  lastEventAt: "2026-12-02T02:27:58.190Z",
};

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("a chain-view item record", () => {
  it("is the item's key and five varints, read back to the same item with lastEventAt to the millisecond", () => {
    const record = encodeChainViewItem(item);
    expect(record.key).toBe("S12:P04711");
    expect(record.value[0]).toBe(1);
    expect(decodeChainViewItem(record.key, record.value)).toEqual(item);
  });

  it("given counts below zero and numbers past 32 bits, then each reads back as it was", () => {
    for (const numbers of [
      { onHand: -3, reserved: 0, inTransit: 0, version: 1 },
      { onHand: 0, reserved: 2 ** 40, inTransit: 127, version: 2 ** 31 + 5 },
      { onHand: Number.MAX_SAFE_INTEGER, reserved: 0, inTransit: 128, version: 1 },
    ]) {
      const record = encodeChainViewItem({ ...item, ...numbers });
      expect(decodeChainViewItem(record.key, record.value)).toEqual({ ...item, ...numbers });
    }
  });

  it("given records of alternating moments, then each reads back with its own", () => {
    const moments = ["2026-12-02T02:27:58.190Z", "2026-12-02T02:27:58.190Z", "2025-01-01T00:00:00.000Z", "2026-12-02T02:27:58.190Z"];
    const read = moments.map((lastEventAt) => {
      const record = encodeChainViewItem({ ...item, lastEventAt });
      return decodeChainViewItem(record.key, record.value)?.lastEventAt;
    });
    expect(read).toEqual(moments);
  });

  it("is a fraction of the forms published before it, which are still read", () => {
    const { key, value } = encodeChainViewItem(item);
    const arrayForm = `[17,2,3,1204,${Date.parse(item.lastEventAt)}]`;
    const objectForm = JSON.stringify({ ...item, available: item.onHand - item.reserved });
    expect(key.length + value.length).toBeLessThanOrEqual(24);
    expect(value.length).toBeLessThan(arrayForm.length / 2);
    expect(value.length).toBeLessThan(objectForm.length / 10);
    expect(decodeChainViewItem(key, bytes(arrayForm))).toEqual(item);
  });

  it("names no item when its key is not a store and SKU, or its value is not the five numbers", () => {
    const { value } = encodeChainViewItem(item);
    expect(decodeChainViewItem("#store:S1", value)).toBeUndefined();
    expect(decodeChainViewItem(null, value)).toBeUndefined();
    expect(decodeChainViewItem("S1:A", null)).toBeUndefined();
    // Cut short, one byte too many, a varint that never ends, a version of 0, a moment past year 9999.
    expect(decodeChainViewItem("S1:A", value.subarray(0, value.length - 1))).toBeUndefined();
    expect(decodeChainViewItem("S1:A", Buffer.concat([value, Buffer.from([0])]))).toBeUndefined();
    expect(decodeChainViewItem("S1:A", Buffer.from([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(decodeChainViewItem("S1:A", Buffer.from([1, 2, 0, 0, 0, 0]))).toBeUndefined();
    expect(decodeChainViewItem("S1:A", encodeChainViewItem({ ...item, lastEventAt: "9999-12-31T23:59:59.999Z" }).value)).toBeDefined();
    expect(decodeChainViewItem("S1:A", Buffer.from([1, 2, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]))).toBeUndefined();
    for (const text of ["[1,0,0,1]", "[1,0,0,0,0]", "[1.5,0,0,1,0]", "[1,0,0,1,1e17]", '{"onHand":1}', "[1,0,", ""])
      expect(decodeChainViewItem("S1:A", bytes(text))).toBeUndefined();
  });
});

describe("an item key", () => {
  it("names its store and SKU, and nothing when either is not an identifier", () => {
    expect(parseItemKey("S1:A-1.b")).toEqual({ storeId: "S1", sku: "A-1.b" });
    for (const key of ["S1", ":A", "S1:", "S1:A:B", "#position", "S 1:A"]) expect(parseItemKey(key)).toBeUndefined();
  });
});
