import { formatTable, signed } from "./format-table.js";

type Row = Record<string, unknown>;

const rowsOf = (value: unknown): Row[] => (Array.isArray(value) ? value.filter((v): v is Row => typeof v === "object" && v !== null) : []);
const num = (v: unknown) => (typeof v === "number" ? v : null);
const str = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? null : String(v));

/** One stock item after a write: the answer of an adjustment or a recount. */
export const stockItemView = (item: Row, replayed: boolean): string =>
  formatTable(
    [
      { header: "store", value: (r: Row) => str(r.storeId) },
      { header: "sku", value: (r) => str(r.sku) },
      { header: "onHand", value: (r) => num(r.onHand) },
      { header: "reserved", value: (r) => num(r.reserved) },
      { header: "available", value: (r) => num(r.available) },
      { header: "version", value: (r) => num(r.version) },
    ],
    [item],
  ) +
  (replayed ? "\n(already applied earlier with this idempotency key: nothing changed now)" : "") +
  "\n";

/** Per-store stock of one SKU and its chain-wide total, as the availability endpoints answer. */
export const availabilityView = (body: Row, lagMs: number | undefined): string => {
  const rows = rowsOf(body.perStore);
  const withTransit = rows.some((r) => typeof r.inTransit === "number" && r.inTransit !== 0);
  const table =
    rows.length === 0
      ? "No stock recorded here yet."
      : formatTable(
          [
            { header: "store", value: (r: Row) => str(r.storeId) },
            { header: "onHand", value: (r) => num(r.onHand) },
            { header: "reserved", value: (r) => num(r.reserved) },
            { header: "available", value: (r) => num(r.available) },
            ...(withTransit ? [{ header: "inTransit", value: (r: Row) => num(r.inTransit) }] : []),
            { header: "version", value: (r) => num(r.version) },
            { header: "last change", value: (r) => str(r.lastEventAt) },
          ],
          rows,
        );
  const lag = lagMs && lagMs > 0 ? ` (replica ${lagMs} ms behind)` : "";
  return `${str(body.sku)}: ${num(body.totalAvailable) ?? 0} available chain-wide${lag}\n${table}\n`;
};

const linesTable = (lines: unknown) =>
  formatTable(
    [
      { header: "sku", value: (r: Row) => str(r.sku) },
      { header: "qty", value: (r) => num(r.qty) },
    ],
    rowsOf(lines),
  );

/** A reservation as its endpoints answer: id, status, expiry and lines. */
export const reservationView = (body: Row, replayed: boolean): string =>
  [
    `reservation ${str(body.reservationId)}  store ${str(body.storeId)}  status ${str(body.status)}  expires ${str(body.expiresAt)}`,
    linesTable(body.lines),
    ...(replayed ? ["(already done earlier with this idempotency key: nothing changed now)"] : []),
  ].join("\n") + "\n";

/** A transfer as POST /v1/transfers answers. */
export const transferView = (body: Row, replayed: boolean): string =>
  [
    `transfer ${str(body.transferId)}  ${str(body.fromStore)} -> ${str(body.toStore)}  status ${str(body.status)}  created ${str(body.createdAt)}`,
    linesTable(body.lines),
    ...(replayed ? ["(already done earlier with this idempotency key: nothing changed now)"] : []),
  ].join("\n") + "\n";

const CHANGE_FIELDS = ["delta", "qty", "onHand", "reserved", "inTransit", "reason", "countRef", "reservationId", "transferId"] as const;

/** The few payload fields worth a glance in a timeline row, e.g. `delta -2, onHand 118, reason sale`. */
export const eventChange = (payload: unknown): string => {
  if (typeof payload !== "object" || payload === null) return "";
  const p = payload as Row;
  return CHANGE_FIELDS.filter((k) => p[k] !== undefined && p[k] !== null)
    .map((k) => `${k} ${k === "delta" && typeof p[k] === "number" ? signed(p[k] as number) : String(p[k])}`)
    .join(", ");
};

/** The events timeline, oldest first as the server orders it, with the cursor of the next page. */
export const eventsView = (body: Row): string => {
  const items = rowsOf(body.items);
  const aggregate = (r: Row) => (typeof r.aggregate === "object" && r.aggregate !== null ? (r.aggregate as Row) : {});
  const table =
    items.length === 0
      ? "No events."
      : formatTable(
          [
            { header: "occurredAt", value: (r: Row) => str(r.occurredAt) },
            { header: "event", value: (r) => str(r.eventType) },
            { header: "item", value: (r) => str(aggregate(r).id) },
            { header: "version", value: (r) => num(aggregate(r).version) },
            { header: "change", value: (r) => eventChange(r.payload) },
          ],
          items,
        );
  const next = str(body.nextCursor);
  const more = body.hasMore === true || (body.hasMore === undefined && next !== null);
  return `${table}\n${more && next ? `more: add --cursor ${next}\n` : ""}`;
};
