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

describe("a chain-view item record", () => {
  it("is the item's key and five numbers, read back to the same item with lastEventAt to the millisecond", () => {
    const record = encodeChainViewItem(item);
    expect(record).toEqual({ key: "S12:P04711", value: `[17,2,3,1204,${Date.parse(item.lastEventAt)}]` });
    expect(decodeChainViewItem(record.key, JSON.parse(record.value))).toEqual(item);
  });

  it("given records of alternating moments, then each reads back with its own", () => {
    const moments = ["2026-12-02T02:27:58.190Z", "2026-12-02T02:27:58.190Z", "2025-01-01T00:00:00.000Z", "2026-12-02T02:27:58.190Z"];
    const read = moments.map((lastEventAt) => {
      const record = encodeChainViewItem({ ...item, lastEventAt });
      return decodeChainViewItem(record.key, JSON.parse(record.value))?.lastEventAt;
    });
    expect(read).toEqual(moments);
  });

  it("is a fraction of the object form published before it", () => {
    const { key, value } = encodeChainViewItem(item);
    const objectForm = JSON.stringify({ ...item, available: item.onHand - item.reserved });
    expect(key.length + value.length).toBeLessThanOrEqual(40);
    expect(value.length).toBeLessThan(objectForm.length / 4);
  });

  it("names no item when its key is not a store and SKU, or its value is not the five numbers", () => {
    const value = JSON.parse(encodeChainViewItem(item).value);
    expect(decodeChainViewItem("#store:S1", value)).toBeUndefined();
    expect(decodeChainViewItem(null, value)).toBeUndefined();
    expect(decodeChainViewItem("S1:A", [1, 0, 0, 1])).toBeUndefined();
    expect(decodeChainViewItem("S1:A", [1, 0, 0, 0, 0])).toBeUndefined();
    expect(decodeChainViewItem("S1:A", [1.5, 0, 0, 1, 0])).toBeUndefined();
    expect(decodeChainViewItem("S1:A", [1, 0, 0, 1, 1e17])).toBeUndefined();
    expect(decodeChainViewItem("S1:A", { onHand: 1 })).toBeUndefined();
  });
});

describe("an item key", () => {
  it("names its store and SKU, and nothing when either is not an identifier", () => {
    expect(parseItemKey("S1:A-1.b")).toEqual({ storeId: "S1", sku: "A-1.b" });
    for (const key of ["S1", ":A", "S1:", "S1:A:B", "#position", "S 1:A"]) expect(parseItemKey(key)).toBeUndefined();
  });
});
