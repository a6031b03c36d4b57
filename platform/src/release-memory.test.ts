import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { releaseMemory, returnMemoryToSystem } from "./release-memory.js";

const heapMb = () => getHeapStatistics().total_heap_size / 1_048_576;

/** About 100 MB of small objects that survive young-generation collections, as a load's staged records do. */
const burst = (): unknown[] => Array.from({ length: 1_000_000 }, (_, i) => ({ i, key: `F${i}:SKU-${i}`, value: [i, i, 0, 1, i] }));

describe("releasing memory", () => {
  it("given a burst that grew the heap, when memory is returned to the system, then the heap shrinks to near what is live, which a plain collection does not do", () => {
    let held: unknown[] | undefined = burst();
    const grown = heapMb();
    held = undefined;
    releaseMemory();
    const collected = heapMb();
    returnMemoryToSystem();
    const returned = heapMb();

    expect(held).toBeUndefined();
    expect(grown).toBeGreaterThan(80);
    expect(returned).toBeLessThan(collected / 2);
    expect(returned).toBeLessThan(grown / 4);
  });
});
