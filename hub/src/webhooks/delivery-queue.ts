import type pg from "pg";
import type { StockChangeEvent } from "@inventory/read-model";

type Queryable = Pick<pg.Pool, "query">;

/** A stock change as the webhook consumer read it from Kafka. */
export interface QueuedChange {
  readonly change: StockChangeEvent;
  readonly traceId: string | null;
}

/**
 * Queues one delivery per (matching active subscription, event), in the events' order, in one statement. A
 * subscription gets only changes that happened after it was created. The (subscription, event) key is unique, so
 * an event Kafka hands over again (a rebalance, a hub killed before committing its offset) queues nothing twice.
 * The changes are read (`changesOf`) only when a subscription is active. Answers how many deliveries were queued.
 */
export const enqueueDeliveries = async (db: Queryable, changesOf: () => readonly QueuedChange[]): Promise<number> => {
  // Without an active subscription nothing can match: skip reading the batch's changes and sending their bodies.
  // The JOIN below sees only committed subscriptions too, so this check misses nothing the statement would have queued.
  const active = await db.query("SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE status = 'ACTIVE') AS any");
  if (!active.rows[0]?.any) return 0;
  const changes = changesOf();
  if (changes.length === 0) return 0;
  const column = <T>(of: (c: QueuedChange) => T) => changes.map(of);
  const result = await db.query(
    `INSERT INTO webhook_deliveries (delivery_id, webhook_id, event_id, event_type, item_key, trace_id, body, status, created_at, next_attempt_at)
     SELECT gen_random_uuid(), s.webhook_id, e.event_id, e.event_type, e.store_id || ':' || e.sku, e.trace_id, e.body, 'PENDING',
            clock_timestamp(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
              WITH ORDINALITY AS e(event_id, event_type, store_id, sku, trace_id, body, occurred_at, ord)
       JOIN webhook_subscriptions s
         ON s.status = 'ACTIVE' AND e.event_type = ANY (s.event_types) AND e.occurred_at >= s.created_at
        AND (s.sku IS NULL OR s.sku = e.sku) AND (s.store_id IS NULL OR s.store_id = e.store_id)
      ORDER BY e.ord, s.webhook_id
     ON CONFLICT (webhook_id, event_id) DO NOTHING`,
    [
      column((c) => c.change.eventId),
      column((c) => c.change.eventType),
      column((c) => c.change.storeId),
      column((c) => c.change.sku),
      column((c) => c.traceId),
      column((c) => JSON.stringify(c.change)),
      column((c) => c.change.occurredAt),
    ],
  );
  return result.rowCount ?? 0;
};

/** A delivery a dispatcher holds for one attempt. `attempt` is its number, and the claim's token. */
export interface ClaimedDelivery {
  readonly seq: number;
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly itemKey: string;
  readonly traceId: string | null;
  readonly body: string;
  readonly attempt: number;
  readonly firstAttemptAt: Date;
  readonly url: string;
  readonly secret: string;
}

/**
 * Claims up to `limit` deliveries that are due, for `leaseMs`: only the oldest pending delivery of each
 * (subscription, item) is eligible, so an item's later changes wait behind a failing one, and only deliveries of
 * active subscriptions. Rows another hub is claiming are skipped (SKIP LOCKED), and a claimed row is leased, so no
 * two dispatchers send one delivery at once; a lease that runs out (its hub died mid-attempt) makes the row
 * claimable again, which is how a delivery survives a crash: at least once.
 */
export const claimDueDeliveries = async (db: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> => {
  const result = await db.query(
    `WITH heads AS (
       SELECT DISTINCT ON (webhook_id, item_key) seq
         FROM webhook_deliveries
        WHERE status = 'PENDING'
        ORDER BY webhook_id, item_key, seq
     ), due AS (
       SELECT d.seq
         FROM webhook_deliveries d
         JOIN heads h ON h.seq = d.seq
         JOIN webhook_subscriptions s ON s.webhook_id = d.webhook_id AND s.status = 'ACTIVE'
        WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND (d.leased_until IS NULL OR d.leased_until < now())
        ORDER BY d.next_attempt_at, d.seq
        LIMIT $1
        FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_deliveries d
        SET attempts = d.attempts + 1,
            leased_until = now() + $2::int * interval '1 millisecond',
            first_attempt_at = coalesce(d.first_attempt_at, now()),
            last_attempt_at = now()
       FROM due, webhook_subscriptions s
      WHERE d.seq = due.seq AND s.webhook_id = d.webhook_id
  RETURNING d.seq, d.delivery_id, d.webhook_id, d.event_id, d.item_key, d.trace_id, d.body, d.attempts, d.first_attempt_at, s.url, s.secret`,
    [limit, leaseMs],
  );
  return result.rows.map((r) => ({
    seq: Number(r.seq),
    deliveryId: r.delivery_id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    itemKey: r.item_key,
    traceId: r.trace_id,
    body: r.body,
    attempt: r.attempts,
    firstAttemptAt: r.first_attempt_at,
    url: r.url,
    secret: r.secret,
  }));
};

/** How an attempt ended, as the queue records it. */
export type AttemptOutcome =
  | { readonly kind: "delivered"; readonly status: number }
  | { readonly kind: "retry"; readonly status: number | null; readonly error: string; readonly at: Date }
  | { readonly kind: "give-up"; readonly status: number | null; readonly error: string; readonly disabledReason: string };

/**
 * Records an attempt's outcome, if the claim still holds (the same attempt number: a dispatcher whose lease ran
 * out and whose row was claimed again records nothing). Giving up fails the delivery and disables its
 * subscription in one transaction; its other pending deliveries stay queued, unsent. Answers whether it recorded.
 */
export const recordAttempt = async (pool: pg.Pool, claimed: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean> => {
  const key = [claimed.seq, claimed.attempt];
  if (outcome.kind === "delivered") {
    const r = await pool.query(
      `UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = now(), leased_until = NULL,
              last_response_status = $3, last_error = NULL
        WHERE seq = $1 AND attempts = $2 AND status = 'PENDING'`,
      [...key, outcome.status],
    );
    return r.rowCount === 1;
  }
  if (outcome.kind === "retry") {
    const r = await pool.query(
      `UPDATE webhook_deliveries SET next_attempt_at = $3, leased_until = NULL, last_response_status = $4, last_error = $5
        WHERE seq = $1 AND attempts = $2 AND status = 'PENDING'`,
      [...key, outcome.at, outcome.status, outcome.error],
    );
    return r.rowCount === 1;
  }
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const r = await client.query(
      `UPDATE webhook_deliveries SET status = 'FAILED', leased_until = NULL, last_response_status = $3, last_error = $4
        WHERE seq = $1 AND attempts = $2 AND status = 'PENDING'`,
      [...key, outcome.status, outcome.error],
    );
    if (r.rowCount === 1) {
      await client.query(
        `UPDATE webhook_subscriptions SET status = 'DISABLED', disabled_reason = $2, disabled_at = now()
          WHERE webhook_id = $1 AND status = 'ACTIVE'`,
        [claimed.webhookId, outcome.disabledReason],
      );
    }
    await client.query("COMMIT");
    return r.rowCount === 1;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
};

/** Deliveries waiting to be sent, for /metrics. */
export const pendingDeliveries = async (db: Queryable): Promise<number> => {
  const r = await db.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'PENDING'");
  return r.rows[0]?.n ?? 0;
};
