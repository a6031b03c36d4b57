import { randomUUID } from "node:crypto";
import { sleep } from "../harness/infra.js";
import type { ApiClient } from "../harness/http-client.js";
import type { Acknowledged } from "../harness/write-load.js";

/**
 * Tills behind a load balancer: each write goes to the next hub that is up, and anything but an answer (503,
 * a dropped connection) is sent again under the same key, to the next hub, until one answers.
 */
export const balancedWriteLoad = (
  hubs: readonly { client: ApiClient; alive: () => boolean }[],
  options: { workers: number; stores: readonly string[]; skus: readonly string[] },
) => {
  const acknowledged: Acknowledged[] = [];
  const refusals: { status: number; at: number }[] = [];
  const dropped: { at: number }[] = [];
  let next = 0;
  let running = true;
  const pick = () => {
    for (let i = 0; i < hubs.length; i++) {
      const hub = hubs[next++ % hubs.length]!;
      if (hub.alive()) return hub;
    }
    return hubs[0]!;
  };
  const worker = async (w: number) => {
    for (let n = 0; running; n++) {
      const storeId = options.stores[(w + n) % options.stores.length]!;
      const sku = options.skus[(w * 7 + n) % options.skus.length]!;
      const body = { storeId, sku, delta: 1 + (n % 3), reason: "restock" };
      const key = randomUUID();
      for (;;) {
        const res = await pick()
          .client.post("/v1/adjustments", body, { key })
          .catch(() => undefined);
        if (res?.status === 202 && res.body.eventId) {
          acknowledged.push({ storeId, sku, delta: body.delta, eventId: res.body.eventId });
          break;
        }
        if (res && res.status !== 503) throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`);
        if (res) refusals.push({ status: res.status, at: Date.now() });
        else dropped.push({ at: Date.now() });
        await sleep(100);
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  return {
    acknowledged,
    refusals,
    dropped,
    stop: async () => {
      running = false;
      await done;
    },
  };
};
