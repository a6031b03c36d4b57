import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { asc, eq, or, sql } from "drizzle-orm";
import type {
  AvailabilityView,
  ProductTotalView,
  ReadModelChange,
  ReservationStatus,
  ReservationView,
  StockItemState,
  StoreView,
  TransferView,
} from "@inventory/shared";
import {
  positions,
  products,
  replicaMeta,
  REPLICA_DDL,
  REPLICA_SCHEMA_VERSION,
  STOCK_ITEMS_STORE_INDEX,
  STOCK_ITEMS_STORE_INDEX_NAME,
  reservations,
  stockItems,
  stores,
  transfers,
} from "./replica-schema.js";

export interface AppliedMessage {
  readonly offset: number;
  /** null when the message carries nothing for this read model; its offset still moves the position on. */
  readonly changes: readonly ReadModelChange[] | null;
  readonly occurredAt: string | null;
  /** From the chain view's position record: every change committed before this moment is in the view. */
  readonly viewAsOf?: string;
}

/** Messages from one partition, in offset order. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly AppliedMessage[];
}

/**
 * What a bulk load stages of one partition's batch (`ReplicaStore.stageBatch`). A load stages a million stock
 * rows: an object or two for each, kept until its batch was staged, cost more (in allocation and collections)
 * than SQLite's inserts, so the compact ones come flat.
 */
export interface StagedBatch {
  /** The batch's records that are not rows in `rows` (stores, products, the view's position, older item forms). */
  readonly messages: readonly AppliedMessage[];
  /** Stock rows, `STAGED_ROW_WIDTH` values each, in `pushStagedRow`'s order. */
  readonly rows: readonly (string | number)[];
  /** The offset after the batch's last record. */
  readonly nextOffset: number;
  /** When the change the batch's last record that names one follows happened. */
  readonly lastEventAt: string | null;
}

/** Values a row of `StagedBatch.rows` takes. */
export const STAGED_ROW_WIDTH = 7;

/** Appends one stock row to a `StagedBatch`'s rows. */
export const pushStagedRow = (rows: (string | number)[], item: StockItemState): void => {
  rows.push(item.sku, item.storeId, item.onHand, item.reserved, item.inTransit, item.version, item.lastEventAt);
};

/** Rows a multi-row insert of staged rows takes: a statement per row cost a third more than SQLite's own work. */
const STAGED_ROWS_PER_INSERT = 64;

export interface ApplyResult {
  readonly applied: number;
  readonly ignored: number;
}

export interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: number;
  readonly eventsApplied: number;
  readonly lastEventAt: string | null;
}

export interface ReplicaStore {
  /** Applies a batch from one partition and records the new position, in one SQLite transaction. */
  applyBatch(topic: string, partition: number, messages: readonly AppliedMessage[]): ApplyResult;
  /**
   * Applies batches from several partitions and records their positions, all in one SQLite transaction:
   * a replay commits far less often. One result per batch, in order.
   */
  applyBatches(batches: readonly PartitionBatch[]): ApplyResult[];
  /**
   * Like `applyBatch`, for a bulk load (the chain view into a replica with no event position yet): stock rows,
   * the batch's and its messages', are appended to an unindexed staging table, each counted applied, and are
   * seen only after `mergeStaged`.
   */
  stageBatch(topic: string, partition: number, batch: StagedBatch): ApplyResult;
  /**
   * Moves the staged stock rows into the replica in (SKU, store) order, the newest version of a row winning, and
   * empties the staging table, in one transaction. Answers how many rows were staged.
   */
  mergeStaged(): number;
  /** Empties the staging table: a load that starts again from the view's beginning. */
  clearStaged(): void;
  positions(): PartitionPosition[];
  /**
   * Sets where partitions not read yet start (a replica loaded from the chain view continues each event
   * partition from the view's offsets), in one transaction; a partition already further on keeps its place.
   */
  seedPositions(start: readonly { topic: string; partition: number; nextOffset: number }[]): void;
  /** The moment the chain view this replica holds is complete up to (ms since the epoch), or null without one. */
  chainViewAsOf(): number | null;
  /** Names this file's Kafka consumer group: a new file is a new group, which starts from offset zero. */
  readonly epoch: string;
  availability(sku: string, storeId?: string): AvailabilityView[] | undefined;
  /**
   * A number that changes whenever what `availability(sku, …)` answers may have changed (a row of the SKU, or
   * the product, applied), so an answer built from it can be kept until then. Per store instance: a rebuilt
   * replica starts again.
   */
  skuGeneration(sku: string): number;
  productTotals(query: { q?: string; page: number; size: number }): { items: ProductTotalView[]; total: number };
  stores(): StoreView[];
  store(storeId: string): StoreView | undefined;
  reservation(reservationId: string): ReservationView | undefined;
  transfer(transferId: string): TransferView | undefined;
  storeExists(storeId: string): boolean;
  close(): void;
}

/**
 * The read replica: a SQLite file fed from Kafka, the same code on the hub and on every store's agent.
 * Each change applies only when its aggregate version is newer than the row's, so a redelivered event is ignored.
 */
export const openReplicaStore = (path: string): ReplicaStore => {
  const sqlite = new Database(path);
  // One process owns a replica file. Holding its lock for good, rather than taking and releasing it around
  // every statement, halves the cost of a one-row read; set before WAL, so no shared-memory index is kept.
  sqlite.pragma("locking_mode = EXCLUSIVE");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const userVersion = sqlite.pragma("user_version", { simple: true }) as number;
  if (userVersion !== REPLICA_SCHEMA_VERSION) {
    sqlite.exec(
      "DROP TABLE IF EXISTS stock_items; DROP TABLE IF EXISTS staged_stock_items; DROP TABLE IF EXISTS products; DROP TABLE IF EXISTS stores; DROP TABLE IF EXISTS positions; DROP TABLE IF EXISTS replica_meta; DROP TABLE IF EXISTS reservations; DROP TABLE IF EXISTS transfers;",
    );
    sqlite.pragma(`user_version = ${REPLICA_SCHEMA_VERSION}`);
  }
  sqlite.exec(REPLICA_DDL);
  const db = drizzle(sqlite);
  db.insert(replicaMeta).values({ key: "epoch", value: randomUUID() }).onConflictDoNothing().run();
  const epoch = db.select().from(replicaMeta).where(eq(replicaMeta.key, "epoch")).get()!.value;

  // The hot paths (applying an event, reading availability) are prepared once: building and preparing the
  // statement on every call cost about a third of a busy agent's CPU. The apply statements are plain SQL with
  // positional parameters: a replay runs them once per event, and mapping named parameters cost as much as SQLite.
  const upsertStockItem = sqlite.prepare<[string, string, number, number, number, number, string]>(
    `INSERT INTO stock_items (sku, store_id, on_hand, reserved, in_transit, version, last_event_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (sku, store_id) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved, in_transit = excluded.in_transit,
       version = excluded.version, last_event_at = excluded.last_event_at
     WHERE excluded.version > stock_items.version`,
  );
  // A load's rows arrive by store (the view is partitioned by store): inserted one by one into the (SKU, store)
  // tree, nearly every row lands on another page, and 1,000,000 rows took 10-18 s. Appended unindexed, then
  // merged in one sorted pass, they take about 3 s.
  const stageStockItem = sqlite.prepare<[string, string, number, number, number, number, string]>(
    `INSERT INTO staged_stock_items (sku, store_id, on_hand, reserved, in_transit, version, last_event_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const mergeStagedStockItems = sqlite.prepare(
    `INSERT INTO stock_items (sku, store_id, on_hand, reserved, in_transit, version, last_event_at)
     SELECT sku, store_id, on_hand, reserved, in_transit, version, last_event_at FROM staged_stock_items WHERE true
     ORDER BY sku, store_id, version DESC
     ON CONFLICT (sku, store_id) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved, in_transit = excluded.in_transit,
       version = excluded.version, last_event_at = excluded.last_event_at
     WHERE excluded.version > stock_items.version`,
  );
  const stageStockItems = sqlite.prepare<[(string | number)[]]>(
    `INSERT INTO staged_stock_items (sku, store_id, on_hand, reserved, in_transit, version, last_event_at) VALUES ${Array.from(
      { length: STAGED_ROWS_PER_INSERT },
      () => "(?, ?, ?, ?, ?, ?, ?)",
    ).join(", ")}`,
  );
  const stageArgs: (string | number)[] = new Array(STAGED_ROWS_PER_INSERT * STAGED_ROW_WIDTH);
  const stageRows = (rows: readonly (string | number)[]) => {
    const chunk = stageArgs.length;
    let i = 0;
    for (; i + chunk <= rows.length; i += chunk) {
      for (let j = 0; j < chunk; j += 1) stageArgs[j] = rows[i + j]!;
      stageStockItems.run(stageArgs);
    }
    for (; i < rows.length; i += STAGED_ROW_WIDTH)
      stageStockItem.run(
        rows[i] as string,
        rows[i + 1] as string,
        rows[i + 2] as number,
        rows[i + 3] as number,
        rows[i + 4] as number,
        rows[i + 5] as number,
        rows[i + 6] as string,
      );
  };
  const countStaged = sqlite.prepare<[], number>("SELECT count(*) FROM staged_stock_items").pluck();
  const deleteStaged = sqlite.prepare("DELETE FROM staged_stock_items");
  const upsertStore = sqlite.prepare<[string, string, number | null]>(
    `INSERT INTO stores (store_id, name, latency_ms) VALUES (?, ?, ?)
     ON CONFLICT (store_id) DO UPDATE SET name = excluded.name, latency_ms = excluded.latency_ms`,
  );
  const insertProduct = sqlite.prepare<[string, string, string]>(
    "INSERT INTO products (sku, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const upsertPosition = sqlite.prepare<[string, number, number, number, string | null]>(
    `INSERT INTO positions (topic, partition, next_offset, events_applied, last_event_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (topic, partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset),
       events_applied = events_applied + excluded.events_applied, last_event_at = coalesce(excluded.last_event_at, last_event_at)`,
  );
  // Reads come back as plain arrays and become views here: better-sqlite3 building each row's object cost
  // more than the query.
  const viewColumns = "sku, store_id, on_hand, reserved, on_hand - reserved, in_transit, version, last_event_at";
  type ViewRow = [string, string, number, number, number, number, number, string];
  const itemsOfSku = sqlite.prepare<[string], ViewRow>(`SELECT ${viewColumns} FROM stock_items WHERE sku = ? ORDER BY store_id`).raw();
  const itemOfSkuAtStore = sqlite
    .prepare<[string, string], ViewRow>(`SELECT ${viewColumns} FROM stock_items WHERE sku = ? AND store_id = ?`)
    .raw();
  const toView = (r: ViewRow): AvailabilityView => ({
    sku: r[0],
    storeId: r[1],
    onHand: r[2],
    reserved: r[3],
    available: r[4],
    inTransit: r[5],
    version: r[6],
    lastEventAt: r[7],
  });
  const productBySku = sqlite.prepare<[string], number>("SELECT 1 FROM products WHERE sku = ?").pluck();
  const storeKnown = sqlite
    .prepare<[string, string], number>(
      "SELECT EXISTS (SELECT 1 FROM stores WHERE store_id = ?) OR EXISTS (SELECT 1 FROM stock_items WHERE store_id = ?)",
    )
    .pluck();

  /** Bumped inside the apply, before its transaction commits: a reader can never see a row without its bump. */
  const skuGenerations = new Map<string, number>();
  /** Added to every SKU's generation: a merge of staged rows may have changed any of them. */
  let mergedGeneration = 0;
  const touched = (sku: string, changed: boolean): boolean => {
    if (changed) skuGenerations.set(sku, (skuGenerations.get(sku) ?? 0) + 1);
    return changed;
  };

  const applyChange = (change: ReadModelChange, staged: boolean): boolean => {
    switch (change.kind) {
      case "stock-item": {
        const written = (staged ? stageStockItem : upsertStockItem).run(
          change.sku,
          change.storeId,
          change.onHand,
          change.reserved,
          change.inTransit,
          change.version,
          change.lastEventAt,
        );
        // A staged row is counted applied: whether it is newer is decided at the merge.
        return staged || touched(change.sku, written.changes > 0);
      }
      case "store":
        return upsertStore.run(change.storeId, change.name, change.latencyMs).changes > 0;
      case "reservation": {
        const { kind: _kind, ...row } = change;
        return (
          db
            .insert(reservations)
            .values(row)
            .onConflictDoUpdate({
              target: reservations.reservationId,
              set: { status: row.status, updatedAt: row.updatedAt, version: row.version },
              setWhere: sql`excluded.version > ${reservations.version}`,
            })
            .run().changes > 0
        );
      }
      case "transfer": {
        const { kind: _kind, ...row } = change;
        return (
          db
            .insert(transfers)
            .values(row)
            .onConflictDoUpdate({
              target: transfers.transferId,
              set: {
                status: row.status,
                failureReason: row.failureReason,
                history: row.history,
                updatedAt: row.updatedAt,
                version: row.version,
              },
              setWhere: sql`excluded.version > ${transfers.version}`,
            })
            .run().changes > 0
        );
      }
      case "product":
        return touched(change.sku, insertProduct.run(change.sku, change.name, change.createdAt).changes > 0);
    }
  };

  const upsertViewAsOf = sqlite.prepare<[string]>(
    `INSERT INTO replica_meta (key, value) VALUES ('chain_view_as_of', ?)
     ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`,
  );
  const viewAsOf = sqlite.prepare<[], string>("SELECT value FROM replica_meta WHERE key = 'chain_view_as_of'").pluck();
  /** The view's moment as the file holds it, kept in memory too: every chain-wide read asks for it. */
  let chainViewAsOfMs: number | null = null;
  const readViewAsOf = () => {
    const value = viewAsOf.get();
    chainViewAsOfMs = value === undefined ? null : Date.parse(value);
  };
  readViewAsOf();
  let viewMoved = false;
  /** Runs an apply transaction, then takes the view's moment as committed (unchanged if it rolled back). */
  const thenReadViewAsOf = <T>(apply: () => T): T => {
    try {
      return apply();
    } finally {
      if (viewMoved) {
        viewMoved = false;
        readViewAsOf();
      }
    }
  };

  const applyRecords = (messages: readonly AppliedMessage[], staged: boolean) => {
    let applied = 0;
    let ignored = 0;
    let lastEventAt: string | null = null;
    for (const message of messages) {
      if (message.viewAsOf !== undefined) {
        upsertViewAsOf.run(message.viewAsOf);
        viewMoved = true;
      }
      let changed = false;
      if (message.changes !== null) for (const change of message.changes) changed = applyChange(change, staged) || changed;
      if (changed) applied += 1;
      else ignored += 1;
      lastEventAt = message.occurredAt ?? lastEventAt;
    }
    return { applied, ignored, lastEventAt };
  };
  const applyMessages = (topic: string, partition: number, messages: readonly AppliedMessage[]): ApplyResult => {
    const { applied, ignored, lastEventAt } = applyRecords(messages, false);
    const last = messages[messages.length - 1];
    if (last) upsertPosition.run(topic, partition, last.offset + 1, applied, lastEventAt);
    return { applied, ignored };
  };
  const applyBatch = sqlite.transaction(applyMessages);
  const applyBatches = sqlite.transaction((batches: readonly PartitionBatch[]) =>
    batches.map((b) => applyMessages(b.topic, b.partition, b.messages)),
  );
  const stageBatch = sqlite.transaction((topic: string, partition: number, batch: StagedBatch): ApplyResult => {
    const records = applyRecords(batch.messages, true);
    stageRows(batch.rows);
    const applied = records.applied + batch.rows.length / STAGED_ROW_WIDTH;
    upsertPosition.run(topic, partition, batch.nextOffset, applied, batch.lastEventAt);
    return { applied, ignored: records.ignored };
  });
  const mergeStaged = sqlite.transaction((): number => {
    const staged = countStaged.get() ?? 0;
    if (staged === 0) return 0;
    sqlite.exec(`DROP INDEX IF EXISTS ${STOCK_ITEMS_STORE_INDEX_NAME}`);
    mergeStagedStockItems.run();
    sqlite.exec(STOCK_ITEMS_STORE_INDEX);
    deleteStaged.run();
    mergedGeneration += 1;
    return staged;
  });

  /** Stores are never removed, so one found stays found; an unknown one is asked again every time. */
  const knownStores = new Set<string>();
  const productKnown = (sku: string) => productBySku.get(sku) !== undefined;

  return {
    applyBatch: (topic, partition, messages) => thenReadViewAsOf(() => applyBatch(topic, partition, messages)),
    applyBatches: (batches) => thenReadViewAsOf(() => applyBatches(batches)),
    stageBatch: (topic, partition, batch) => thenReadViewAsOf(() => stageBatch(topic, partition, batch)),
    mergeStaged,
    clearStaged: () => {
      deleteStaged.run();
    },
    positions: () => db.select().from(positions).all(),
    seedPositions: sqlite.transaction((start: readonly { topic: string; partition: number; nextOffset: number }[]) => {
      for (const p of start) upsertPosition.run(p.topic, p.partition, p.nextOffset, 0, null);
    }),
    chainViewAsOf: () => chainViewAsOfMs,
    epoch,
    availability: (sku, storeId) => {
      const rows = storeId === undefined ? itemsOfSku.all(sku) : itemOfSkuAtStore.all(sku, storeId);
      if (rows.length === 0 && !productKnown(sku)) return undefined;
      return rows.map(toView);
    },
    skuGeneration: (sku) => mergedGeneration + (skuGenerations.get(sku) ?? 0),
    productTotals: ({ q, page, size }) => {
      const pattern = q ? `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : undefined;
      const filter = pattern
        ? or(sql`${products.sku} LIKE ${pattern} ESCAPE '\\'`, sql`${products.name} LIKE ${pattern} ESCAPE '\\'`)
        : undefined;
      const total = db.select({ n: sql<number>`count(*)` }).from(products).where(filter).get()?.n ?? 0;
      const items = db
        .select({
          sku: products.sku,
          name: products.name,
          totalOnHand: sql<number>`coalesce(sum(${stockItems.onHand}), 0)`,
          totalReserved: sql<number>`coalesce(sum(${stockItems.reserved}), 0)`,
          totalAvailable: sql<number>`coalesce(sum(max(${stockItems.onHand} - ${stockItems.reserved}, 0)), 0)`,
          totalInTransit: sql<number>`coalesce(sum(${stockItems.inTransit}), 0)`,
        })
        .from(products)
        .leftJoin(stockItems, eq(stockItems.sku, products.sku))
        .where(filter)
        .groupBy(products.sku)
        .orderBy(asc(products.sku))
        .limit(size)
        .offset(page * size)
        .all();
      return { items, total };
    },
    stores: () => db.select().from(stores).orderBy(asc(stores.storeId)).all(),
    store: (storeId) => db.select().from(stores).where(eq(stores.storeId, storeId)).get(),
    transfer: (transferId) => {
      const row = db.select().from(transfers).where(eq(transfers.transferId, transferId)).get();
      return row ? (row as TransferView) : undefined;
    },
    reservation: (reservationId) => {
      const row = db.select().from(reservations).where(eq(reservations.reservationId, reservationId)).get();
      return row ? { ...row, status: row.status as ReservationStatus } : undefined;
    },
    // A store's stock can arrive before its registration (they travel on different partitions).
    storeExists: (storeId) => {
      if (knownStores.has(storeId)) return true;
      const known = storeKnown.get(storeId, storeId) === 1;
      if (known) knownStores.add(storeId);
      return known;
    },
    close: () => sqlite.close(),
  };
};
