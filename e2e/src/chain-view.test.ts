import { readdir, readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafka, readTopicToEnd, silentLogger } from "@inventory/platform";
import { decodeChainViewItem } from "@inventory/shared";
import { eventually } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;

const chainView = async () => {
  const kafka = createKafka({ brokers: [system.kafkaBrokers], clientId: "e2e-chain-view" }, silentLogger);
  return (await readTopicToEnd(kafka, `${system.topicPrefix}availability.latest`, { timeoutMs: 30_000 })).map((m) => ({
    key: m.key!.toString(),
    partition: m.partition,
    bytes: m.key!.length + m.value!.length + Object.keys(m.headers).length,
    record: decodeChainViewItem(m.key!.toString(), m.value),
  }));
};

/** The compression codec (attributes & 7: 0 none, 1 gzip) of every record batch the broker stored for the chain view. */
const storedBatchCodecs = async () => {
  const logDir = `${process.env.KAFKA_DATA_DIR}/kraft-logs`;
  const codecs: number[] = [];
  for (const dir of (await readdir(logDir)).filter((d) => d.startsWith(`${system.topicPrefix}availability.latest-`)))
    for (const file of (await readdir(`${logDir}/${dir}`)).filter((f) => f.endsWith(".log"))) {
      const log = await readFile(`${logDir}/${dir}/${file}`);
      // A batch: base offset (8 bytes), length (4), leader epoch (4), magic (1), CRC (4), attributes (2), ...
      for (let at = 0; at + 23 <= log.length; at += 12 + log.readInt32BE(at + 8)) codecs.push(log.readInt16BE(at + 21) & 7);
    }
  return codecs;
};

beforeAll(async () => {
  system = await startSystem({ hubEnv: { AVAILABILITY_COALESCE_MS: "1000" } });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "HOT", perStore: { S1: 1000, S2: 10 } },
      { sku: "COLD", perStore: { S2: 3 } },
    ],
  );
});
afterAll(() => system?.close());

describe("the hub's chain view", () => {
  it("given a burst of sales on one item, then the compacted topic gets about one record per second for it, ending at the database's state for every item", async () => {
    const started = Date.now();
    for (let i = 0; i < 60; i++) {
      const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "HOT", delta: -1, reason: "sale" });
      expect(res.status).toBe(202);
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 300));
    }
    const burstSeconds = (Date.now() - started) / 1000;
    const { rows } = await system.db.query("SELECT store_id, sku, on_hand, reserved, version FROM stock_items ORDER BY store_id, sku");
    await eventually(
      async () => {
        const latest = new Map((await chainView()).map((r) => [r.key, r.record]));
        for (const row of rows)
          expect(latest.get(`${row.store_id}:${row.sku}`)).toMatchObject({
            storeId: row.store_id,
            sku: row.sku,
            version: row.version,
            onHand: row.on_hand,
            reserved: row.reserved,
          });
      },
      15_000,
      500,
    );
    const hot = (await chainView()).filter((r) => r.key === "S1:HOT");
    console.log(`60 sales in ${burstSeconds.toFixed(1)} s gave ${hot.length} chain-view records for the item`);
    // At most one flush per second, plus the one that may have caught the item's seeding.
    expect(hot.length).toBeLessThanOrEqual(Math.ceil(burstSeconds) + 3);
    expect(hot.length).toBeLessThan(20);
    const versions = hot.map((r) => r.record!.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it("given the records published, then an item's is a few dozen bytes with no headers, and the broker holds the batches gzipped", async () => {
    const items = (await chainView()).filter((r) => !r.key.startsWith("#"));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.bytes).toBeLessThanOrEqual(28);
    const codecs = await storedBatchCodecs();
    expect(codecs.length).toBeGreaterThan(0);
    expect(new Set(codecs)).toEqual(new Set([1]));
  });
});
