import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { query, type ApiClient } from "../api/api-client.js";
import { ErrorBanner } from "./error-banner.js";
import { Pager } from "./pager.js";
import { usePoll } from "../live/use-poll.js";

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ComponentChildren;
}

interface Filters {
  status: string;
  storeId: string;
  sku: string;
  olderThanMinutes: string;
}

/** A server-paged list (GET /v1/reservations or /v1/transfers) with its filters, and one row's detail. */
export const OperatorList = <T,>(props: {
  api: ApiClient;
  path: string;
  title: string;
  statuses: readonly string[];
  storeLabel: string;
  columns: readonly Column<T>[];
  idOf: (row: T) => string;
  detail: (row: T) => ComponentChildren;
}) => {
  const [filters, setFilters] = useState<Filters>({ status: "", storeId: "", sku: "", olderThanMinutes: "" });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<string | null>(null);
  const minutes = Number(filters.olderThanMinutes);
  const path = `${props.path}${query({
    status: filters.status,
    storeId: filters.storeId.trim(),
    sku: filters.sku.trim(),
    olderThanSeconds: filters.olderThanMinutes && Number.isFinite(minutes) ? Math.round(minutes * 60) : undefined,
    limit: 25,
    cursor: cursors[cursors.length - 1],
  })}`;
  const list = usePoll<{ items: T[]; nextCursor: string | null }>(props.api, path, 3000);
  const set = (key: keyof Filters) => (e: { currentTarget: { value: string } }) => {
    setFilters({ ...filters, [key]: e.currentTarget.value });
    setCursors([undefined]);
  };
  const items = list.data?.items ?? [];
  const chosen = items.find((r) => props.idOf(r) === selected);
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{props.title}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{" "}
          <select value={filters.status} onChange={set("status")}>
            <option value="">any</option>
            {props.statuses.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          {props.storeLabel} <input value={filters.storeId} onInput={set("storeId")} size={8} />
        </label>
        <label>
          SKU <input value={filters.sku} onInput={set("sku")} size={8} />
        </label>
        <label>
          Older than (minutes) <input type="number" min={0} value={filters.olderThanMinutes} onInput={set("olderThanMinutes")} size={5} />
        </label>
      </form>
      <ErrorBanner error={list.error} />
      <table>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col">{c.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((row) => (
            <tr class={props.idOf(row) === selected ? "selected" : undefined}>
              {props.columns.map((c, i) =>
                i === 0 ? (
                  <td>
                    <button type="button" class="link" onClick={() => setSelected(props.idOf(row))}>
                      {c.cell(row)}
                    </button>
                  </td>
                ) : (
                  <td>{c.cell(row)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && list.data ? <p>Nothing matches.</p> : null}
      <Pager
        label={`${props.title} pages`}
        position={`page ${cursors.length}`}
        onPrevious={cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : undefined}
        onNext={list.data?.nextCursor ? () => setCursors([...cursors, list.data!.nextCursor!]) : undefined}
      />
      {chosen ? <article class="detail">{props.detail(chosen)}</article> : null}
    </section>
  );
};
