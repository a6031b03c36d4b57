import { describe, expect, it } from "vitest";
import { decodeText } from "./decode-text.js";

const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

describe("decodeText", () => {
  it.each([
    ["UTF-16 LE with its BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("sku,onHand\nÄ1,5\n", "utf16le")])],
    ["UTF-16 BE with its BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be("sku,onHand\nÄ1,5\n")])],
    ["UTF-8 with its BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("sku,onHand\nÄ1,5\n")])],
    ["UTF-8 without a BOM", Buffer.from("sku,onHand\nÄ1,5\n")],
  ])("given %s, then the text comes out without the BOM", (_, bytes) => {
    expect(decodeText(bytes)).toBe("sku,onHand\nÄ1,5\n");
  });
});
