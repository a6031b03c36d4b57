import { setTimeout as sleep } from "node:timers/promises";
import { expectStatus, forEachConcurrently, type Api } from "./api.js";

export const skuName = (n: number) => `P${String(n).padStart(5, "0")}`;
export const HOT_SKU = "HOT";
export const PROBE_SKU = "PROBE";
export const SEED_ON_HAND = 1_000;
/** Ample stock for the hot-SKU purchases: they can never run it out. */
export const HOT_ON_HAND = 1_000_000_000;

/** The i-th of the spread items: stores in turn, then SKUs. */
export const spreadItem = (i: number, stores: readonly string[]) => ({
  storeId: stores[i % stores.length]!,
  sku: skuName(Math.floor(i / stores.length)),
});

/**
 * Seeds the catalogue through the API, as a back office would: stores, products (32 at a time), then one
 * reconciliation per store setting every SKU's count. Replicas learn everything from Kafka.
 */
export const seedCatalogue = async (hub: Api, stores: readonly string[], skus: number): Promise<{ seconds: number }> => {
  const started = performance.now();
  for (const storeId of stores) expectStatus(await hub.post("/v1/stores", { storeId, name: `Store ${storeId}` }), 201, `store ${storeId}`);
  const names = [...Array.from({ length: skus }, (_, n) => skuName(n)), HOT_SKU, PROBE_SKU];
  await forEachConcurrently(names, 32, async (sku) => {
    expectStatus(await hub.post("/v1/products", { sku, name: `Product ${sku}`, initialOnHand: 0 }), 202, `product ${sku}`);
  });
  const chunk = 20_000;
  for (const storeId of stores) {
    for (let from = 0; from < skus; from += chunk) {
      const snapshotOnHand = Object.fromEntries(names.slice(from, Math.min(from + chunk, skus)).map((sku) => [sku, SEED_ON_HAND]));
      expectStatus(
        await hub.post("/v1/reconciliations", { storeId, snapshotOnHand, source: "bench-seed" }),
        202,
        `reconciliation ${storeId}`,
      );
    }
  }
  expectStatus(
    await hub.post("/v1/adjustments", { storeId: stores[0], sku: HOT_SKU, delta: HOT_ON_HAND, reason: "restock" }),
    202,
    "hot stock",
  );
  return { seconds: (performance.now() - started) / 1000 };
};

/** Waits until an agent (or the hub's replica) shows `sku` at `storeId` with at least `version`. */
export const waitVisible = async (reader: Api, sku: string, storeId: string, check: (row: any) => boolean, timeoutMs = 300_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reply = await reader.get(`/v1/availability?sku=${sku}&storeId=${storeId}`);
    const row = reply.status === 200 ? reply.body?.perStore?.[0] : undefined;
    if (row && check(row)) return;
    await sleep(100);
  }
  throw new Error(`${sku}@${storeId} not visible after ${timeoutMs} ms`);
};
