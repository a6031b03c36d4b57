/**
 * Keeps trying to start something that needs Kafka (a consumer) until it starts or is stopped, so a
 * process can come up, and serve what it can, while the broker is away.
 */
export const startWithRetry = async (options: {
  start: () => Promise<void>;
  /** Called after each failed attempt, e.g. to disconnect a half-started consumer. */
  failed: (err: unknown) => Promise<void>;
  stopped: () => boolean;
  delayMs: number;
}): Promise<void> => {
  while (!options.stopped()) {
    try {
      await options.start();
      return;
    } catch (err) {
      await options.failed(err);
      await new Promise((r) => setTimeout(r, options.delayMs));
    }
  }
};
