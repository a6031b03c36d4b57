import { formatTable } from "./format-table.js";

type Row = Record<string, unknown>;

const rowsOf = (value: unknown): Row[] => (Array.isArray(value) ? value.filter((v): v is Row => typeof v === "object" && v !== null) : []);
const num = (v: unknown) => (typeof v === "number" ? v : null);
const str = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? null : String(v));
const lines = (v: unknown) =>
  rowsOf(v)
    .map((l) => `${str(l.sku)}:${num(l.qty)}`)
    .join(" ");
const next = (body: Row) => (typeof body.nextCursor === "string" ? `\nNext page: --cursor ${body.nextCursor}\n` : "\n");

/** One page of reservations or transfers, newest first. */
export const listPageView = (kind: "reservations" | "transfers", body: Row): string => {
  const items = rowsOf(body.items);
  if (items.length === 0) return `No ${kind} match.\n`;
  const table =
    kind === "reservations"
      ? formatTable(
          [
            { header: "reservation", value: (r: Row) => str(r.reservationId) },
            { header: "store", value: (r) => str(r.storeId) },
            { header: "status", value: (r) => str(r.status) },
            { header: "lines", value: (r) => lines(r.lines) },
            { header: "created", value: (r) => str(r.createdAt) },
            { header: "expires", value: (r) => str(r.expiresAt) },
          ],
          items,
        )
      : formatTable(
          [
            { header: "transfer", value: (r: Row) => str(r.transferId) },
            { header: "from", value: (r) => str(r.fromStore) },
            { header: "to", value: (r) => str(r.toStore) },
            { header: "status", value: (r) => str(r.status) },
            { header: "lines", value: (r) => lines(r.lines) },
            { header: "created", value: (r) => str(r.createdAt) },
            { header: "failure", value: (r) => str(r.failureReason) },
          ],
          items,
        );
  return table + next(body);
};

const age = (iso: unknown, now: number) => (typeof iso === "string" ? `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))}s` : null);

/** An agent's offline sales journal as its report gives it: "132 queued, oldest 840s". */
const offlineQueue = (offline: unknown, now: number): string | undefined => {
  if (!offline || typeof offline !== "object") return undefined;
  const o = offline as Row;
  const queued = typeof o.queued === "number" ? o.queued : 0;
  if (queued === 0) return "none queued";
  return `${queued} queued, oldest ${age(o.oldestQueuedAt, now) ?? "-"}`;
};

/** Every replica of the fleet and the relay, as `GET /v1/projections/status` answers. */
export const fleetView = (body: Row, now = Date.now()): string => {
  const table = formatTable(
    [
      { header: "replica", value: (r: Row) => str(r.projection) },
      { header: "store", value: (r) => str(r.storeId) },
      { header: "state", value: (r) => str(r.state) },
      { header: "lagMs", value: (r) => num(r.lagMs) },
      { header: "caughtUp", value: (r) => str(r.caughtUp) },
      { header: "last report", value: (r) => age(r.reportedAt, now) },
      { header: "breaker", value: (r) => str(r.breaker) },
      { header: "offline sales", value: (r) => offlineQueue(r.offline, now) },
      { header: "last error", value: (r) => str(r.lastError) },
    ],
    rowsOf(body.projections),
  );
  const outbox = (body.outbox ?? {}) as Row;
  return `${table}\n\nOutbox: backlog ${str(outbox.backlog)}, oldest unpublished ${str(outbox.oldestUnpublishedAgeMs) ?? "-"} ms, leader ${str(outbox.leader)}, published ${str(outbox.published)}\n`;
};

export const deadLettersView = (body: Row): string => {
  const items = rowsOf(body.items);
  if (items.length === 0) return "No dead letters.\n";
  return (
    formatTable(
      [
        { header: "topic", value: (r: Row) => str(r.topic) },
        { header: "messageId", value: (r) => str(r.messageId) },
        { header: "key", value: (r) => str(r.key) },
        { header: "replica", value: (r) => str(r.replicaId) },
        { header: "attempts", value: (r) => num(r.attempts) },
        { header: "error", value: (r) => str(r.error) },
      ],
      items,
    ) + "\n"
  );
};
