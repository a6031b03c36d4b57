import { useMemo, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../../api/api-client.js";
import type { FleetStatus } from "../../api/hub-types.js";
import { ErrorBanner } from "../../components/error-banner.js";
import { LagChart } from "../../components/lag-chart.js";
import { Pager } from "../../components/pager.js";
import { usePoll } from "../../live/use-poll.js";
import { fleetRows, sortRows, type SortKey } from "./fleet-rows.js";

const PAGE_SIZE = 25;
const HOUR_MS = 3_600_000;
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "storeId", label: "Store" },
  { key: "state", label: "State" },
  { key: "lagMs", label: "Lag (ms)" },
  { key: "secondsSinceReport", label: "Since report (s)" },
  { key: "behindHub", label: "Events behind hub" },
  { key: "breaker", label: "Breaker to hub" },
  { key: "offlineQueued", label: "Offline sales queued" },
];

/** Every store's agent and the hub's own replica, live: state, lag, time since its last report, position. */
export const FleetPage = ({ api }: { api: ApiClient }) => {
  const status = usePoll<FleetStatus>(api, "/v1/projections/status", 2000);
  const history = useRef(new Map<string, { at: number; lagMs: number }[]>());
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "storeId", descending: false });
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const now = status.checkedAt ?? Date.now();
  const rows = useMemo(() => {
    if (!status.data) return [];
    const all = fleetRows(status.data, now);
    for (const row of all) {
      const samples = history.current.get(row.projection) ?? [];
      if (samples[samples.length - 1]?.at !== now) samples.push({ at: now, lagMs: row.lagMs });
      while (samples.length > 0 && samples[0]!.at < now - HOUR_MS) samples.shift();
      history.current.set(row.projection, samples);
    }
    const wanted = filter.trim().toLowerCase();
    const shown = wanted ? all.filter((r) => `${r.projection} ${r.storeId} ${r.state}`.toLowerCase().includes(wanted)) : all;
    return sortRows(shown, sort.key, sort.descending);
  }, [status.data, now, filter, sort]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const detail = rows.find((r) => r.projection === selected);
  const unreachable = rows.filter((r) => r.state === "UNREACHABLE").length;

  return (
    <section aria-labelledby="fleet-title">
      <h1 id="fleet-title">Fleet</h1>
      <ErrorBanner error={status.error} />
      <p class="summary">
        {rows.length} replicas · {unreachable} unreachable · outbox backlog {status.data?.outbox.backlog ?? "?"} · updated{" "}
        {status.checkedAt ? new Date(status.checkedAt).toLocaleTimeString() : "…"}
      </p>
      <label>
        Filter{" "}
        <input type="search" value={filter} onInput={(e) => (setFilter(e.currentTarget.value), setPage(0))} placeholder="store, state…" />
      </label>
      <table>
        <thead>
          <tr>
            <th scope="col">Replica</th>
            {COLUMNS.map((c) => (
              <th scope="col" aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : "none"}>
                <button
                  type="button"
                  class="sort"
                  onClick={() => setSort({ key: c.key, descending: sort.key === c.key ? !sort.descending : false })}
                >
                  {c.label}
                  {sort.key === c.key ? (sort.descending ? " ▼" : " ▲") : ""}
                </button>
              </th>
            ))}
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((r) => (
            <tr data-projection={r.projection} class={r.projection === selected ? "selected" : undefined}>
              <td>
                <button type="button" class="link" onClick={() => setSelected(r.projection === selected ? null : r.projection)}>
                  {r.projection}
                </button>
              </td>
              <td>{r.storeId}</td>
              <td>
                <span class={`state state-${r.state.toLowerCase()}`} data-testid="state">
                  {r.state}
                </span>
              </td>
              <td class="num">{r.lagMs}</td>
              <td class="num">{r.secondsSinceReport ?? "-"}</td>
              <td class="num">{r.behindHub ?? "-"}</td>
              <td data-testid="breaker">{r.breaker ?? "-"}</td>
              <td class="num" data-testid="offline-queued">
                {r.offlineQueued ?? "-"}
              </td>
              <td>{r.lastError ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager
        label="Fleet pages"
        position={`page ${current + 1} of ${pages}`}
        onPrevious={current > 0 ? () => setPage(current - 1) : undefined}
        onNext={current < pages - 1 ? () => setPage(current + 1) : undefined}
      />
      {detail ? (
        <article class="detail" aria-label={`Detail of ${detail.projection}`}>
          <h2>{detail.projection}</h2>
          <LagChart label="Lag since this page opened (up to an hour)" samples={history.current.get(detail.projection) ?? []} />
          <table>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Partition</th>
                <th scope="col">Next offset</th>
                <th scope="col">Last event</th>
              </tr>
            </thead>
            <tbody>
              {detail.source.partitions.map((p) => (
                <tr>
                  <td>{p.topic}</td>
                  <td class="num">{p.partition}</td>
                  <td class="num">{p.nextOffset}</td>
                  <td>{p.lastEventAt ?? "-"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ) : null}
    </section>
  );
};
