import { failureBody, failureStatus, isFailure, stampEvent, type EventDraft, type EventEnvelope, type Principal } from "@inventory/shared";
import { sql } from "drizzle-orm";
import type { Transaction } from "../db/database.js";
import type { OutboxEntry } from "../outbox/append-to-outbox.js";
import type { CommandContext, Outcome, Reply, SqlCommand } from "./command.js";

export interface CommandStamp {
  readonly at: Date;
  readonly traceId: string;
  readonly newId: () => string;
  readonly principal: Principal;
}

/** A SQL command's own error, raised after its savepoint was rolled back: the transaction is still usable. */
export class SqlCommandFailed extends Error {
  constructor(readonly error: unknown) {
    super("command failed", { cause: error });
  }
}

/** The reply an outcome gives: a success as it is, a failure as its status and error body. */
export const replyFromOutcome = (outcome: Outcome): Reply =>
  isFailure(outcome)
    ? { status: failureStatus(outcome), body: failureBody(outcome), headers: {} }
    : { status: outcome.status, body: outcome.body, headers: outcome.headers ?? {} };

/** Stamps a command's events with its id, time and trace, and collects them for the outbox. */
export const emitter =
  (stamp: CommandStamp, events: OutboxEntry[]) =>
  (draft: EventDraft): EventEnvelope => {
    const event = stampEvent(draft, { eventId: stamp.newId(), occurredAt: stamp.at.toISOString(), traceId: stamp.traceId });
    events.push({ topic: draft.topic, key: draft.key, event });
    return event;
  };

/** The statement that opens a command's savepoint, by how the command before it in the transaction ended. */
export const OPEN_SAVEPOINT = {
  first: "SAVEPOINT command",
  /** The previous command's savepoint is freed in the round trip that opens this one's. */
  afterKept: "RELEASE SAVEPOINT command; SAVEPOINT command",
  /**
   * The previous command was refused and its rollback left for now: rolling back to its savepoint undoes it and
   * leaves that savepoint exactly where this command begins, so one statement does both.
   */
  afterRefused: "ROLLBACK TO SAVEPOINT command",
} as const;

export type SavepointOpening = (typeof OPEN_SAVEPOINT)[keyof typeof OPEN_SAVEPOINT];

/**
 * Runs a SQL command inside the caller's transaction, under the savepoint `command`, opened by `opening` (see
 * OPEN_SAVEPOINT). On success it returns the reply and the events to commit with it. On an expected failure the
 * reply is the failure's, with no events, and the rollback of its changes is left to the caller
 * (`rollbackPending`), who runs it as the next command's opening or before anything else touches the
 * transaction. Any other error rolls the savepoint back and comes out as SqlCommandFailed; if even the
 * rollback fails, that error comes out as it is and the transaction is lost.
 */
export const runSqlCommand = async (
  tx: Transaction,
  command: SqlCommand,
  stamp: CommandStamp,
  opening: SavepointOpening,
): Promise<{ reply: Reply; events: OutboxEntry[]; rollbackPending: boolean }> => {
  await tx.execute(sql.raw(opening));
  const events: OutboxEntry[] = [];
  const ctx: CommandContext = { tx, now: stamp.at, principal: stamp.principal, emit: emitter(stamp, events) };
  let outcome: Outcome;
  try {
    outcome = await command.run(ctx);
  } catch (err) {
    await tx.execute(sql.raw("ROLLBACK TO SAVEPOINT command"));
    throw new SqlCommandFailed(err);
  }
  if (!isFailure(outcome)) return { reply: replyFromOutcome(outcome), events, rollbackPending: false };
  return { reply: replyFromOutcome(outcome), events: [], rollbackPending: true };
};
