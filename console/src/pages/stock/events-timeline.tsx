import { useState } from "preact/hooks";
import type { EventEnvelope } from "@inventory/shared";
import { query, type ApiClient } from "../../api/api-client.js";
import { ErrorBanner } from "../../components/error-banner.js";
import { Pager } from "../../components/pager.js";
import { usePoll } from "../../live/use-poll.js";

const PAGE_SIZE = 15;
/** The timeline API pages oldest first; the console reads this many at most and shows them newest first. */
const READ_AT_MOST = 1000;

const cause = (payload: Record<string, unknown>) =>
  ["reason", "countRef", "reservationId", "transferId", "reconciliationId", "policy"]
    .filter((k) => payload[k] !== undefined && payload[k] !== null)
    .map((k) => `${k}: ${String(payload[k])}`)
    .join(", ");

export const EventsTimeline = ({ api, sku }: { api: ApiClient; sku: string }) => {
  const events = usePoll<{ items: EventEnvelope[]; hasMore: boolean }>(api, `/v1/events${query({ sku, limit: READ_AT_MOST })}`, 3000);
  const [page, setPage] = useState(0);
  const items = [...(events.data?.items ?? [])].reverse();
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  return (
    <>
      <h3>Events, newest first</h3>
      <ErrorBanner error={events.error} />
      {events.data?.hasMore ? <p>Showing the first {READ_AT_MOST} events of this SKU only.</p> : null}
      <table aria-label={`Events of ${sku}`}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Store</th>
            <th scope="col">Version</th>
            <th scope="col">Why</th>
            <th scope="col">Trace</th>
          </tr>
        </thead>
        <tbody>
          {items.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).map((e) => {
            const payload = (e.payload ?? {}) as Record<string, unknown>;
            return (
              <tr>
                <td>{e.occurredAt}</td>
                <td>{e.eventType}</td>
                <td>{String(payload.storeId ?? "")}</td>
                <td class="num">{e.aggregate.version}</td>
                <td>{cause(payload)}</td>
                <td>
                  <code>{e.traceId ?? ""}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Pager
        label="Event pages"
        position={`page ${page + 1} of ${pages}`}
        onPrevious={page > 0 ? () => setPage(page - 1) : undefined}
        onNext={page < pages - 1 ? () => setPage(page + 1) : undefined}
      />
    </>
  );
};
