import type pg from "pg";
import { itemKey, type ChainViewRecord } from "@inventory/shared";
import type { MessagePublisher, OutgoingMessage } from "@inventory/read-model";

/** Only one hub flushes the chain view at a time; the others skip the tick. */
const CHAIN_VIEW_LOCK = 7_420_003;
const POSITION_NAME = "chain-view";

export interface ChainViewFlushDeps {
  readonly pool: pg.Pool;
  readonly publisher: MessagePublisher;
  /** The chain-view topic's name on the broker. */
  readonly topic: string;
  /** Most events one flush covers (and stock rows per page of the first snapshot); the rest go in the next. */
  readonly maxEventsPerFlush: number;
  /**
   * No flush publishes sooner than this after the last one that did, on whichever hub: so each key has at
   * most one record per interval across the deployment. `AVAILABILITY_COALESCE_MS`.
   */
  readonly minIntervalMs: number;
}

export interface ChainViewFlush {
  /** False when another hub held the flush: nothing was read or published. */
  readonly ran: boolean;
  readonly published: number;
  /** The log position the view is complete up to after this flush. */
  readonly position: number | null;
}

interface StateRow {
  store_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  in_transit: number;
  version: number;
  at: string;
}

const toMessage = (topic: string, r: StateRow): OutgoingMessage => {
  const record: ChainViewRecord = {
    storeId: r.store_id,
    sku: r.sku,
    onHand: r.on_hand,
    reserved: r.reserved,
    inTransit: r.in_transit,
    available: r.on_hand - r.reserved,
    version: r.version,
    lastEventAt: r.at,
  };
  return { topic, key: itemKey(r.store_id, r.sku), value: JSON.stringify(record), headers: {} };
};

/**
 * The first flush of a deployment: every stock item's current state, and the log position that state is
 * complete up to, read in one snapshot (an event published before it is in the rows; one published later
 * has a higher position and is published by a later flush).
 */
const publishSnapshot = async (client: pg.PoolClient, deps: ChainViewFlushDeps): Promise<ChainViewFlush> => {
  const { rows } = await client.query<{ position: string | null }>("SELECT max(log_position) AS position FROM outbox");
  const position = Number(rows[0]?.position ?? 0);
  let published = 0;
  let after: [string, string] = ["", ""];
  for (;;) {
    const page = await client.query<StateRow>(
      `SELECT store_id, sku, on_hand, reserved, in_transit, version, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM stock_items WHERE (store_id, sku) > ($1, $2) ORDER BY store_id, sku LIMIT $3`,
      [after[0], after[1], deps.maxEventsPerFlush],
    );
    if (page.rows.length === 0) break;
    await deps.publisher.publish(page.rows.map((r) => toMessage(deps.topic, r)));
    published += page.rows.length;
    const last = page.rows[page.rows.length - 1]!;
    after = [last.store_id, last.sku];
  }
  await client.query("INSERT INTO chain_view_position (name, log_position, updated_at) VALUES ($1, $2, clock_timestamp())", [
    POSITION_NAME,
    position,
  ]);
  return { ran: true, published, position };
};

/**
 * Publishes the latest state of every stock item changed since the last flush: one record per item however
 * many events it had meanwhile (the state the item's last published event carries), then moves the position.
 * Run once per `AVAILABILITY_COALESCE_MS`, so each key is published at most once per interval. If the hub dies
 * between publishing and moving the position, the next flush publishes those states again: a compacted topic
 * keeps the last, and readers apply by version.
 */
export const flushChainView = async (deps: ChainViewFlushDeps): Promise<ChainViewFlush> => {
  const client = await deps.pool.connect();
  try {
    // One snapshot for the whole flush: the position and the rows it covers are read as of one moment.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const lock = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [CHAIN_VIEW_LOCK]);
    if (!lock.rows[0]?.locked) {
      await client.query("ROLLBACK");
      return { ran: false, published: 0, position: null };
    }
    const current = await client.query<{ log_position: string; since_ms: number }>(
      "SELECT log_position, extract(epoch FROM clock_timestamp() - updated_at) * 1000 AS since_ms FROM chain_view_position WHERE name = $1",
      [POSITION_NAME],
    );
    if (current.rows.length === 0) {
      const flushed = await publishSnapshot(client, deps);
      await client.query("COMMIT");
      return flushed;
    }
    const from = Number(current.rows[0]!.log_position);
    if (Number(current.rows[0]!.since_ms) < deps.minIntervalMs) {
      await client.query("ROLLBACK");
      return { ran: false, published: 0, position: from };
    }
    // The flush covers at most maxEventsPerFlush events, so it stays bounded after a long pause.
    const end = await client.query<{ upto: string | null }>(
      `SELECT max(log_position) AS upto FROM (
         SELECT log_position FROM outbox WHERE log_position > $1 ORDER BY log_position LIMIT $2) AS next`,
      [from, deps.maxEventsPerFlush],
    );
    const upto = end.rows[0]?.upto === null || end.rows[0]?.upto === undefined ? from : Number(end.rows[0].upto);
    let published = 0;
    if (upto > from) {
      const { rows } = await client.query<StateRow>(
        `SELECT DISTINCT ON (store_id, sku) store_id, sku,
                (event->'payload'->>'onHand')::int AS on_hand, (event->'payload'->>'reserved')::int AS reserved,
                coalesce((event->'payload'->>'inTransit')::int, 0) AS in_transit,
                (event->'aggregate'->>'version')::int AS version, event->>'occurredAt' AS at
         FROM outbox
         WHERE log_position > $1 AND log_position <= $2 AND topic = 'stock.events' AND store_id IS NOT NULL AND sku IS NOT NULL
         ORDER BY store_id, sku, (event->'aggregate'->>'version')::int DESC`,
        [from, upto],
      );
      if (rows.length > 0) await deps.publisher.publish(rows.map((r) => toMessage(deps.topic, r)));
      published = rows.length;
      await client.query("UPDATE chain_view_position SET log_position = $2, updated_at = clock_timestamp() WHERE name = $1", [
        POSITION_NAME,
        upto,
      ]);
    }
    await client.query("COMMIT");
    return { ran: true, published, position: upto };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
};
