/**
 * A wait that an append ends early: `notify` wakes the current `wait`, or the next one if none is waiting,
 * and `interrupt` ends the current wait (on stop). `consume` forgets an append already seen (the caller is
 * about to read the rows anyway).
 */
export const createAppendSignal = () => {
  let pending = false;
  let wake: (() => void) | undefined;
  return {
    notify: () => {
      pending = true;
      wake?.();
    },
    consume: () => {
      pending = false;
    },
    interrupt: () => wake?.(),
    wait: (ms: number) =>
      new Promise<void>((resolve) => {
        if (pending) {
          pending = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          pending = false;
          resolve();
        }
        wake = done;
      }),
  };
};
