import type { EventEnvelope } from "@inventory/shared";
import { createAppendSignal } from "./append-signal.js";
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
  const appended = createAppendSignal();

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
      appended.notify();
      return ids;
    },
    rows: () => stored,
    setLeadership: (available) => {
      leadership = available;
    },
    lead: async () => leadership,
    waitForAppend: appended.wait,
    interrupt: appended.interrupt,
    unpublished: async (limit) => {
      appended.consume();
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
