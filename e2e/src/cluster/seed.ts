import type { ApiClient } from "../harness/http-client.js";

/** Registers stores and products (no stock) through the API, as the back office would. */
export const seedStoresAndProducts = async (hub: ApiClient, stores: readonly string[], skus: readonly string[]) => {
  for (const storeId of stores) {
    const res = await hub.post("/v1/stores", { storeId, name: `Store ${storeId}` });
    if (res.status !== 201) throw new Error(`store ${storeId}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  for (const sku of skus) {
    const res = await hub.post("/v1/products", { sku, name: `Product ${sku}`, initialOnHand: 0 });
    if (res.status !== 202) throw new Error(`product ${sku}: ${res.status} ${JSON.stringify(res.body)}`);
  }
};
