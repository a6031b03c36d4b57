import type { AvailabilityView } from "@inventory/shared";

/** One stock change as the stream shows it: the item's state after it, and what caused it. */
export interface StockChangeEvent extends AvailabilityView {
  readonly eventId: string;
  readonly eventType: string;
  readonly reason: string | null;
  readonly occurredAt: string;
}

export interface LoggedChange {
  /** The stream position, `<epoch>.<sequence>`: resumable with Last-Event-ID while this process keeps it. */
  readonly id: string;
  readonly change: StockChangeEvent;
}

export type Resume =
  | { readonly kind: "from"; readonly backlog: readonly LoggedChange[] }
  | { readonly kind: "reset"; readonly reason: string };

export interface StockChangeLog {
  /** Adds a change unless the item already went past its version (a redelivered event). */
  append(change: StockChangeEvent): void;
  /** The changes after `lastEventId`, or why the stream cannot resume there. */
  resume(lastEventId: string): Resume;
  /** Calls `listener` with every change appended from now on, in order; returns the unsubscribe. */
  subscribe(listener: (logged: LoggedChange) => void): () => void;
  /** Ends every subscriber: the process is stopping. */
  close(): void;
  onClose(listener: () => void): () => void;
}

/**
 * The recent stock changes a process has seen, in the order it saw them (per item, the item's version order),
 * numbered within this process's epoch; the oldest are dropped past `capacity`.
 */
export const createStockChangeLog = (options: { epoch: string; capacity?: number }): StockChangeLog => {
  const capacity = options.capacity ?? 10_000;
  // The changes kept are kept[head..]: the oldest are let go by moving head, and the array is cut only once per
  // `capacity` changes, so an append does not shift the whole array.
  const kept: LoggedChange[] = [];
  let head = 0;
  let nextSequence = 1;
  const versions = new Map<string, number>();
  const listeners = new Set<(logged: LoggedChange) => void>();
  const closers = new Set<() => void>();
  const sequenceOf = (id: string) => {
    const dot = id.lastIndexOf(".");
    if (dot < 0 || id.slice(0, dot) !== options.epoch || !/^\d{1,15}$/.test(id.slice(dot + 1))) return undefined;
    return Number(id.slice(dot + 1));
  };
  return {
    append: (change) => {
      const key = `${change.storeId}:${change.sku}`;
      if ((versions.get(key) ?? 0) >= change.version) return;
      versions.set(key, change.version);
      const logged = { id: `${options.epoch}.${nextSequence++}`, change };
      kept.push(logged);
      if (kept.length - head > capacity) head += 1;
      if (head >= capacity) {
        kept.splice(0, head);
        head = 0;
      }
      for (const listener of listeners) listener(logged);
    },
    resume: (lastEventId) => {
      const sequence = sequenceOf(lastEventId);
      if (sequence === undefined) return { kind: "reset", reason: "the position is not from this server's current stream" };
      if (sequence >= nextSequence) return { kind: "reset", reason: "the position is ahead of this stream" };
      const oldest = kept.length > head ? sequenceOf(kept[head]!.id)! : nextSequence;
      if (sequence < oldest - 1) return { kind: "reset", reason: "the position is older than the changes this server keeps" };
      return { kind: "from", backlog: kept.slice(kept.length - (nextSequence - 1 - sequence)) };
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      listeners.clear();
      for (const closer of [...closers]) closer();
    },
    onClose: (listener) => {
      closers.add(listener);
      return () => closers.delete(listener);
    },
  };
};
