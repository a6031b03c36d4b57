import { randomUUID } from "node:crypto";
import { sleep } from "./infra.js";
import type { TestSystem } from "./system.js";

export interface Acknowledged {
  storeId: string;
  sku: string;
  delta: number;
  eventId: string;
}

/**
 * A till's behaviour: send each write with its own key, and on anything but an answer (503, a dropped
 * connection) retry the same key until the hub answers. Stops issuing new writes when `stop()` is called.
 */
export const steadyWriteLoad = (system: TestSystem, options: { workers: number; stores: readonly string[]; skus: readonly string[] }) => {
  const { workers, stores: STORES, skus: SKUS } = options;
  const acknowledged: Acknowledged[] = [];
  const refusals: { status: number; ms: number; at: number }[] = [];
  let retries = 0;
  let running = true;
  const worker = async (w: number) => {
    for (let n = 0; running; n++) {
      const storeId = STORES[(w + n) % STORES.length]!;
      const sku = SKUS[(w * 7 + n) % SKUS.length]!;
      const body = { storeId, sku, delta: 1 + (n % 3), reason: "restock" };
      const key = randomUUID();
      for (;;) {
        const res = await system.hub.post("/v1/adjustments", body, { key }).catch(() => undefined);
        if (res?.status === 202) {
          acknowledged.push({ storeId, sku, delta: body.delta, eventId: res.body.eventId });
          break;
        }
        if (res && res.status !== 503) throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`);
        if (res) refusals.push({ status: res.status, ms: res.ms, at: Date.now() });
        retries += 1;
        await sleep(100);
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    acknowledged,
    refusals,
    retries: () => retries,
    stop: async () => {
      running = false;
      await done;
    },
  };
};
