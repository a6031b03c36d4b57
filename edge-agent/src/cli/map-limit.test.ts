import { describe, expect, it } from "vitest";
import { mapLimit } from "./map-limit.js";

describe("mapLimit", () => {
  it("given more items than the limit, then never more than the limit run at once, and results keep input order", async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 30, 20, 40]);
    expect(most).toBe(2);
  });

  it("given a result that says stop, then no new item starts", async () => {
    const started: number[] = [];
    const results = await mapLimit([1, 2, 3, 4], 1, async (n) => (started.push(n), n), { stop: (n) => n === 2 });
    expect(started).toEqual([1, 2]);
    expect(results).toEqual([1, 2, undefined, undefined]);
  });
});
