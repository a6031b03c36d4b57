import type { Logger } from "@inventory/platform";
import { flushChainView, type ChainViewFlushDeps } from "./publish-chain-view.js";

export interface ChainViewPublisherOptions extends ChainViewFlushDeps {
  readonly log: Logger;
  /** Time between flushes, and so the shortest time between two records of one key. */
  readonly coalesceMs: number;
  /** Creates the chain-view topic; run before the first flush and retried until it succeeds. */
  readonly ensureTopic: () => Promise<void>;
}

/** Flushes the chain view every `coalesceMs` on whichever hub takes the flush's lock; failures wait for the next tick. */
export const startChainViewPublisher = (options: ChainViewPublisherOptions) => {
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let topicReady = false;
  let published = 0;

  const tick = () => {
    current = (async () => {
      if (!topicReady) {
        await options.ensureTopic();
        topicReady = true;
      }
      const flush = await flushChainView(options);
      published += flush.published;
    })()
      .catch((err: unknown) => options.log.warn("chain view not published; will retry", { error: String(err), traceId: "chain-view" }))
      .finally(() => {
        if (running) timer = setTimeout(tick, options.coalesceMs);
      });
  };
  timer = setTimeout(tick, options.coalesceMs);

  return {
    published: () => published,
    stop: async () => {
      running = false;
      clearTimeout(timer);
      await current;
    },
  };
};
