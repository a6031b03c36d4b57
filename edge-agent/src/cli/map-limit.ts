/**
 * Runs `task` over `items` with at most `limit` at a time, keeping the results in input order.
 * Stops starting new tasks once `stop` says so of a result; items never started are left undefined.
 */
export const mapLimit = async <T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  options: { stop?: (result: R) => boolean; onDone?: (doneCount: number) => void } = {},
): Promise<(R | undefined)[]> => {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  let done = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      const index = next++;
      const result = await task(items[index]!, index);
      results[index] = result;
      options.onDone?.(++done);
      if (options.stop?.(result)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
};
