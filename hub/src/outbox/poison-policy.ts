/** One outbox row that Kafka would not take when it was sent on its own. */
export interface RefusedMessage {
  readonly outboxId: string;
  /** The row's logical topic. */
  readonly topic: string;
  readonly key: string;
  readonly error: string;
  /** Kafka refused it for good (too large, an invalid record or topic); false after the retry policy gave up. */
  readonly permanent: boolean;
}

/**
 * `dead-letter`: set the row aside (outbox `dead_lettered_at`, listed by `GET /v1/dlt`) and publish what
 * follows it; `hold`: keep it first in line and retry, stalling the relay until it passes.
 */
export type PoisonDecision = "dead-letter" | "hold";

export type PoisonPolicy = (refused: RefusedMessage) => PoisonDecision;

/**
 * The default: a message Kafka refuses for good is dead-lettered, since holding it would stall every event
 * behind it and, through the outbox backlog limit, every write; anything else is held and retried.
 */
export const deadLetterPermanentRefusals: PoisonPolicy = (refused) => (refused.permanent ? "dead-letter" : "hold");
