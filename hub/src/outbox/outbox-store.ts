import type { EventEnvelope } from "@inventory/shared";

export interface OutboxRow {
  readonly id: string;
  readonly topic: string;
  readonly messageKey: string;
  readonly event: EventEnvelope;
}

export interface OutboxBacklog {
  /** Rows waiting to be published (dead letters not counted). */
  readonly size: number;
  /** Age of the oldest of them; 0 when none. */
  readonly oldestAgeMs: number;
  /** Rows Kafka refused for good, set aside until an operator replays them. */
  readonly deadLettered: number;
}

/** What the outbox relay needs of the outbox table, so that its loop can be tested without a database. */
export interface OutboxStore {
  /** Takes or confirms this relay's leadership; false while another relay leads. */
  lead(): Promise<boolean>;
  /** Resolves when a transaction appended rows (at once if one did since the last `unpublished`), or after `ms`. */
  waitForAppend(ms: number): Promise<void>;
  /** Ends a `waitForAppend` early (on stop). */
  interrupt(): void;
  /** Up to `limit` rows not published and not dead-lettered, in id order. */
  unpublished(limit: number): Promise<OutboxRow[]>;
  /** Marks rows published, handing out log positions in the order given. */
  markPublished(ids: readonly string[]): Promise<void>;
  /** Sets a row aside as a dead letter with Kafka's reason, so the relay moves past it. */
  markDeadLettered(id: string, error: string): Promise<void>;
  backlog(): Promise<OutboxBacklog>;
  /** After a failure: checks the store's own session and drops it if it is gone (leadership with it). */
  recover(): Promise<void>;
  close(): Promise<void>;
}
