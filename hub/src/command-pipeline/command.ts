import type { EventDraft, EventEnvelope, Failure, Principal, StockItem } from "@inventory/shared";
import type { Transaction } from "../db/database.js";
import type { HeldSku } from "./held-stock.js";

/**
 * The one answer a command gives, as the client gets it and as it is stored under the idempotency key.
 * A command itself returns a Reply on success or a Failure, which becomes a Reply with its status.
 */
export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Outcome = Reply | Failure;

/** What a stock command decided in memory: its outcome, and the items it changed (none for a refusal). */
export interface StockCommandDecision {
  readonly outcome: Outcome;
  readonly changed: readonly StockItem[];
}

/**
 * A command on one SKU's stock rows, decided in memory against those rows, which its batch holds locked: the
 * batch pays one statement to lock a SKU's rows and one to write them back, however many such commands it
 * decides. `decide` is pure.
 */
export interface StockCommand {
  readonly kind: "stock";
  readonly sku: string;
  /** The store whose row it changes: a (store, SKU) pair that never held stock is created at zero first. */
  readonly storeId?: string;
  /** It is given a ticket from the chain-wide round-robin sequence, drawn once it is known to run on a known SKU. */
  readonly drawsTicket?: boolean;
  decide(stock: HeldSku, emit: (draft: EventDraft) => EventEnvelope, ticket: number): StockCommandDecision;
}

/** A command that reads and writes with its own SQL, inside its batch's transaction under its own savepoint. */
export interface SqlCommand {
  readonly kind: "sql";
  run(ctx: CommandContext): Promise<Outcome>;
}

export type Command = StockCommand | SqlCommand;

export const sqlCommand = (run: (ctx: CommandContext) => Promise<Outcome>): SqlCommand => ({ kind: "sql", run });

export interface CommandContext {
  readonly tx: Transaction;
  readonly now: Date;
  /** Who asked; commands that learn the store only once they load a row check access against it. */
  readonly principal: Principal;
  /** Records an event to be committed to the outbox with this command; returns it stamped. */
  emit(draft: EventDraft): EventEnvelope;
}

/** What makes a client's command "the same request" under its key; keys are scoped to the caller. */
export interface IdempotencyIdentity {
  /** Whose key this is. */
  readonly scope: string;
  readonly key: string;
  /** Hash of what makes two requests "the same request". */
  readonly fingerprint: string;
}

export interface CommandRequest {
  readonly principal: Principal;
  /** A client's command runs once per key; the hub's own commands (expiry, saga steps) have none. */
  readonly idempotency?: IdempotencyIdentity;
  readonly traceId: string;
  /**
   * What the command contends on (a SKU). Commands with a batch key share transactions with others on
   * the same lane; without one a command runs in a transaction of its own.
   */
  readonly batchKey?: string;
}

/** The hub acting on its own behalf: expiring reservations, driving transfers, seeding demo data. */
export const HUB_PRINCIPAL: Principal = { subject: "hub", roles: ["admin"], stores: [] };
