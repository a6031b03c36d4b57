import type pg from "pg";
import { CHAIN_VIEW_KEYS, encodeChainViewItem, type ChainViewPosition } from "@inventory/shared";
import type { MessagePublisher, OutgoingMessage } from "@inventory/platform";

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
  /**
   * The end offset of every partition of every event topic (logical name → offsets by partition), read before
   * the flush's snapshot: every event below them was committed before it. Without it no position is published.
   */
  readonly eventLogEnds?: () => Promise<Record<string, number[]>>;
}

export interface ChainViewFlush {
  /** False when another hub held the flush: nothing was read or published. */
  readonly ran: boolean;
  /** Stock item records published. */
  readonly published: number;
  /** The log position the view is complete up to after this flush. */
  readonly position: number | null;
}

export interface StateRow {
  store_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  in_transit: number;
  version: number;
  at: string;
}

/**
 * An item's state as stock_items holds it (alias `s`), with the occurredAt of the event that gave it its version
 * (what an event-fed replica shows as lastEventAt), or its updated_at once that event has been swept away.
 */
const STATE_COLUMNS = `s.store_id, s.sku, s.on_hand, s.reserved, s.in_transit, s.version,
  coalesce((SELECT o.event->>'occurredAt' FROM outbox o
            WHERE o.sku = s.sku AND o.store_id = s.store_id AND (o.event->'aggregate'->>'version')::int = s.version
            ORDER BY o.log_position DESC NULLS FIRST LIMIT 1),
           to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS at`;

/** An item's record, compact (see `chain-view-item.ts`): what every agent fetches for every changed item of the chain. */
export const itemMessage = (topic: string, r: StateRow): OutgoingMessage => ({
  topic,
  ...encodeChainViewItem({
    storeId: r.store_id,
    sku: r.sku,
    onHand: r.on_hand,
    reserved: r.reserved,
    inTransit: r.in_transit,
    version: r.version,
    lastEventAt: r.at,
  }),
  headers: {},
});

/** The catalogue rows named (all when `only` is undefined), as chain-view records. */
const catalogMessages = async (
  client: pg.PoolClient,
  topic: string,
  only?: { stores: string[]; skus: string[] },
): Promise<OutgoingMessage[]> => {
  const stores = await client.query<{ store_id: string; name: string; latency_ms: number | null }>(
    `SELECT store_id, name, latency_ms FROM stores ${only ? "WHERE store_id = ANY($1::text[])" : ""} ORDER BY store_id`,
    only ? [only.stores] : [],
  );
  const products = await client.query<{ sku: string; name: string; at: string }>(
    `SELECT sku, name, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM products
     ${only ? "WHERE sku = ANY($1::text[])" : ""} ORDER BY sku`,
    only ? [only.skus] : [],
  );
  return [
    ...stores.rows.map((s) => ({
      topic,
      key: CHAIN_VIEW_KEYS.store(s.store_id),
      value: JSON.stringify({ kind: "store", storeId: s.store_id, name: s.name, latencyMs: s.latency_ms }),
      headers: {},
    })),
    ...products.rows.map((p) => ({
      topic,
      key: CHAIN_VIEW_KEYS.product(p.sku),
      value: JSON.stringify({ kind: "product", sku: p.sku, name: p.name, createdAt: p.at }),
      headers: {},
    })),
  ];
};

/** Published last in a flush that covered everything up to its snapshot: see `chainViewPositionSchema`. */
const positionMessage = (topic: string, at: string, logPosition: number, eventOffsets: Record<string, number[]>): OutgoingMessage => {
  const record: ChainViewPosition = { kind: "position", at, logPosition, eventOffsets };
  return { topic, key: CHAIN_VIEW_KEYS.position, value: JSON.stringify(record), headers: {} };
};

const snapshotMoment = async (client: pg.PoolClient) =>
  (await client.query<{ at: string }>(`SELECT to_char(transaction_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at`))
    .rows[0]!.at;

/**
 * The first flush of a deployment: every store, product and stock item's current state, and the log position
 * that state is complete up to, read in one snapshot.
 */
const publishSnapshot = async (client: pg.PoolClient, deps: ChainViewFlushDeps, ends: Record<string, number[]> | undefined) => {
  const { rows } = await client.query<{ position: string | null }>("SELECT max(log_position) AS position FROM outbox");
  const position = Number(rows[0]?.position ?? 0);
  await deps.publisher.publish(await catalogMessages(client, deps.topic));
  let published = 0;
  let after: [string, string] = ["", ""];
  for (;;) {
    const page = await client.query<StateRow>(
      `SELECT ${STATE_COLUMNS} FROM stock_items s WHERE (s.store_id, s.sku) > ($1, $2) ORDER BY s.store_id, s.sku LIMIT $3`,
      [after[0], after[1], deps.maxEventsPerFlush],
    );
    if (page.rows.length === 0) break;
    await deps.publisher.publish(page.rows.map((r) => itemMessage(deps.topic, r)));
    published += page.rows.length;
    const last = page.rows[page.rows.length - 1]!;
    after = [last.store_id, last.sku];
  }
  if (ends) await deps.publisher.publish([positionMessage(deps.topic, await snapshotMoment(client), position, ends)]);
  await client.query("INSERT INTO chain_view_position (name, log_position, updated_at) VALUES ($1, $2, clock_timestamp())", [
    POSITION_NAME,
    position,
  ]);
  return { ran: true, published, position };
};

/**
 * Publishes the current state of every stock item (and store, product) changed since the last flush: one record
 * per item however many events it had meanwhile, read from `stock_items` in the flush's snapshot, then moves the
 * position. Changed means an event with a log position past the last flush's, or one not yet published (the
 * relay may have sent it to Kafka and not yet given it a position): so every event committed before the
 * snapshot is in the view once the flush is done, and a flush that took everything ends with a position record
 * (what it is complete up to, and the event offsets to continue from). Run once per `AVAILABILITY_COALESCE_MS`,
 * so each key is published at most once per interval. If the hub dies between publishing and moving the
 * position, the next flush publishes those states again: a compacted topic keeps the last, and readers apply by version.
 */
export const flushChainView = async (deps: ChainViewFlushDeps): Promise<ChainViewFlush> => {
  // Read before the snapshot: every event below these ends was committed, and so is in the snapshot's rows.
  const ends = deps.eventLogEnds ? await deps.eventLogEnds() : undefined;
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
      const flushed = await publishSnapshot(client, deps, ends);
      await client.query("COMMIT");
      return flushed;
    }
    const from = Number(current.rows[0]!.log_position);
    if (Number(current.rows[0]!.since_ms) < deps.minIntervalMs) {
      await client.query("ROLLBACK");
      return { ran: false, published: 0, position: from };
    }
    // The flush covers at most maxEventsPerFlush events, so it stays bounded after a long pause.
    const end = await client.query<{ upto: string | null; more: boolean }>(
      `SELECT max(log_position) AS upto, count(*) = $2 AS more FROM (
         SELECT log_position FROM outbox WHERE log_position > $1 ORDER BY log_position LIMIT $2) AS next`,
      [from, deps.maxEventsPerFlush],
    );
    const upto = end.rows[0]?.upto === null || end.rows[0]?.upto === undefined ? from : Number(end.rows[0].upto);
    const complete = !end.rows[0]?.more;
    const changed = await client.query<{ store_id: string | null; sku: string | null; kind: string }>(
      `SELECT DISTINCT store_id, sku, CASE WHEN store_id IS NOT NULL AND sku IS NOT NULL THEN 'item' ELSE coalesce(event->>'eventType', '') END AS kind
       FROM outbox
       WHERE topic = 'stock.events' AND (log_position > $1 AND log_position <= $2 ${complete ? "OR published_at IS NULL" : ""})`,
      [from, upto],
    );
    const items = changed.rows.filter((r) => r.kind === "item");
    const catalog = changed.rows.filter((r) => r.kind === "StoreRegistered" || r.kind === "ProductCreated");
    let published = 0;
    if (catalog.length > 0)
      await deps.publisher.publish(
        await catalogMessages(client, deps.topic, {
          stores: catalog.filter((r) => r.kind === "StoreRegistered").map((r) => r.store_id ?? ""),
          skus: catalog.filter((r) => r.kind === "ProductCreated").map((r) => r.sku ?? ""),
        }),
      );
    if (items.length > 0) {
      const { rows } = await client.query<StateRow>(
        // One primary-key lookup per changed item: joined as a set, the planner hashes the whole of stock_items instead.
        `SELECT ${STATE_COLUMNS} FROM unnest($1::text[], $2::text[]) AS c(store_id, sku)
         CROSS JOIN LATERAL (SELECT * FROM stock_items i WHERE i.store_id = c.store_id AND i.sku = c.sku LIMIT 1) AS s`,
        [items.map((r) => r.store_id), items.map((r) => r.sku)],
      );
      if (rows.length > 0) await deps.publisher.publish(rows.map((r) => itemMessage(deps.topic, r)));
      published = rows.length;
    }
    if (complete && ends) await deps.publisher.publish([positionMessage(deps.topic, await snapshotMoment(client), upto, ends)]);
    await client.query("UPDATE chain_view_position SET log_position = $2, updated_at = clock_timestamp() WHERE name = $1", [
      POSITION_NAME,
      upto,
    ]);
    await client.query("COMMIT");
    return { ran: true, published, position: upto };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
};
