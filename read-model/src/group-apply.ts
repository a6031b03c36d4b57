import type { ApplyResult, PartitionBatch } from "./replica-store.js";

/**
 * Group commit for a replica: batches handed over within one turn of the event loop (the partitions of one
 * Kafka fetch, consumed concurrently) are applied together by one `applyAll` call, one SQLite transaction.
 * Each caller's promise settles with its own batch's result once that transaction has committed, or rejects
 * when it failed, in which case the caller applies its batch on its own.
 *
 * @example
 * const apply = groupApply((batches) => store.applyBatches(batches));
 * const result = await apply({ topic, partition, messages });
 */
export const groupApply = (applyAll: (batches: readonly PartitionBatch[]) => ApplyResult[]) => {
  let waiting: { batch: PartitionBatch; resolve: (r: ApplyResult) => void; reject: (err: unknown) => void }[] = [];
  const flush = () => {
    const group = waiting;
    waiting = [];
    let results: ApplyResult[];
    try {
      results = applyAll(group.map((w) => w.batch));
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    for (const [i, w] of group.entries()) w.resolve(results[i]!);
  };
  return (batch: PartitionBatch): Promise<ApplyResult> =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ batch, resolve, reject });
    });
};
