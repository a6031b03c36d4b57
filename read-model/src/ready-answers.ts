import { prepareJson, type PreparedJson } from "@inventory/platform";
import type { ReplicaStore } from "./replica-store.js";

/** Answers kept per replica store; past this many, the oldest is let go first. */
const DEFAULT_CAPACITY = 50_000;

interface Kept {
  readonly generation: number;
  readonly answer: PreparedJson;
}

export interface ReadyAnswers {
  /**
   * The prepared answer about `sku` under `key` (what else the answer depends on, e.g. the store asked for),
   * kept until the SKU's generation on that replica store moves; `build` makes it when there is none, and
   * may return undefined (nothing to answer: not kept).
   */
  get(store: ReplicaStore, sku: string, key: string, build: () => unknown | undefined): PreparedJson | undefined;
}

/**
 * Availability changes only when an event is applied, so its body and ETag are made once per change rather than
 * once per read: a read is then a lookup and a socket write. Each replica store (a rebuild swaps in a new one)
 * has its own answers.
 */
export const readyAnswers = (capacity = DEFAULT_CAPACITY): ReadyAnswers => {
  const byStore = new WeakMap<ReplicaStore, Map<string, Kept>>();
  return {
    get: (store, sku, key, build) => {
      let kept = byStore.get(store);
      if (!kept) {
        kept = new Map();
        byStore.set(store, kept);
      }
      const generation = store.skuGeneration(sku);
      const id = `${sku}\u0000${key}`;
      const found = kept.get(id);
      if (found && found.generation === generation) return found.answer;
      const value = build();
      if (value === undefined) return undefined;
      const answer = prepareJson(value);
      kept.delete(id);
      kept.set(id, { generation, answer });
      if (kept.size > capacity) kept.delete(kept.keys().next().value!);
      return answer;
    },
  };
};
