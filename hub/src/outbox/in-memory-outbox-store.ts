import type { EventEnvelope } from "@inventory/shared";
import type { OutboxRow, OutboxStore } from "./outbox-store.js";

interface StoredRow extends OutboxRow {
  publishedAt: number | null;
  logPosition: number | null;
  deadLetter: string | null;
  readonly createdAt: number;
}

export interface InMemoryOutboxStore extends OutboxStore {
  /** Commits rows as a command's transaction would, and wakes the relay. */
  append(rows: readonly { topic: string; key: string; event: EventEnvelope }[]): string[];
  rows(): readonly Readonly<StoredRow>[];
  /** Lets another relay hold the leadership (false) or gives it back (true). */
  setLeadership(available: boolean): void;
}

/** The outbox in memory, for the relay's unit tests: ids and log positions from 1, one leader. */
export const createInMemoryOutboxStore = (): InMemoryOutboxStore => {
  const stored: StoredRow[] = [];
  let nextId = 1;
  let nextPosition = 1;
  let leadership = true;
  let appended = false;
  let wake: (() => void) | undefined;

  return {
    append: (rows) => {
      const ids = rows.map((r) => {
        const id = String(nextId++);
        stored.push({
          id,
          topic: r.topic,
          messageKey: r.key,
          event: r.event,
          publishedAt: null,
          logPosition: null,
          deadLetter: null,
          createdAt: Date.now(),
        });
        return id;
      });
      appended = true;
      wake?.();
      return ids;
    },
    rows: () => stored,
    setLeadership: (available) => {
      leadership = available;
    },
    lead: async () => leadership,
    waitForAppend: (ms) =>
      new Promise<void>((resolve) => {
        if (appended) {
          appended = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          appended = false;
          resolve();
        }
        wake = done;
      }),
    interrupt: () => wake?.(),
    unpublished: async (limit) => {
      appended = false;
      return stored.filter((r) => r.publishedAt === null && r.deadLetter === null).slice(0, limit);
    },
    markPublished: async (ids) => {
      for (const id of ids) {
        const row = stored.find((r) => r.id === id)!;
        row.publishedAt = Date.now();
        row.logPosition = nextPosition++;
      }
    },
    markDeadLettered: async (id, error) => {
      stored.find((r) => r.id === id)!.deadLetter = error;
    },
    backlog: async () => {
      const waiting = stored.filter((r) => r.publishedAt === null && r.deadLetter === null);
      return {
        size: waiting.length,
        oldestAgeMs: waiting.length === 0 ? 0 : Date.now() - Math.min(...waiting.map((r) => r.createdAt)),
        deadLettered: stored.filter((r) => r.publishedAt === null && r.deadLetter !== null).length,
      };
    },
    recover: async () => undefined,
    close: async () => undefined,
  };
};
