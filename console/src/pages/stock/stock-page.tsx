import { useState } from "preact/hooks";
import type { AvailabilityResponse, ProductTotalView } from "@inventory/shared";
import { query, type ApiClient } from "../../api/api-client.js";
import { ErrorBanner } from "../../components/error-banner.js";
import { Pager } from "../../components/pager.js";
import { usePoll } from "../../live/use-poll.js";
import { EventsTimeline } from "./events-timeline.js";
import { LowStock } from "./low-stock.js";

const PAGE_SIZE = 20;

interface TotalsPage {
  readonly items: ProductTotalView[];
  readonly page: number;
  readonly size: number;
  readonly total: number;
}

/** SKU search, a SKU's per-store rows (live), its events timeline, and the stores low on the SKUs found. */
export const StockPage = ({ api, mayOperate }: { api: ApiClient; mayOperate: boolean }) => {
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(0);
  const [sku, setSku] = useState<string | null>(null);
  const products = usePoll<TotalsPage>(api, `/v1/products/totals${query({ q: search.trim(), page, size: PAGE_SIZE })}`, 5000);
  const availability = usePoll<AvailabilityResponse>(api, sku ? `/v1/items/${encodeURIComponent(sku)}/availability` : null, 1000);
  const pages = products.data ? Math.max(1, Math.ceil(products.data.total / PAGE_SIZE)) : 1;

  return (
    <section aria-labelledby="stock-title">
      <h1 id="stock-title">Stock</h1>
      <form aria-label="Search stock" onSubmit={(e) => e.preventDefault()}>
        <label>
          SKU or name{" "}
          <input
            name="sku-search"
            type="search"
            value={search}
            onInput={(e) => (setSearch(e.currentTarget.value), setPage(0))}
            placeholder="e.g. A1"
          />
        </label>
      </form>
      <ErrorBanner error={products.error} />
      <table aria-label="Products">
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Name</th>
            <th scope="col">On hand</th>
            <th scope="col">Reserved</th>
            <th scope="col">Available</th>
            <th scope="col">In transit</th>
          </tr>
        </thead>
        <tbody>
          {(products.data?.items ?? []).map((p) => (
            <tr class={p.sku === sku ? "selected" : undefined}>
              <td>
                <button type="button" class="link" onClick={() => setSku(p.sku)}>
                  {p.sku}
                </button>
              </td>
              <td>{p.name}</td>
              <td class="num">{p.totalOnHand}</td>
              <td class="num">{p.totalReserved}</td>
              <td class="num">{p.totalAvailable}</td>
              <td class="num">{p.totalInTransit}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager
        label="Product pages"
        position={`page ${page + 1} of ${pages} (${products.data?.total ?? 0} products)`}
        onPrevious={page > 0 ? () => setPage(page - 1) : undefined}
        onNext={page < pages - 1 ? () => setPage(page + 1) : undefined}
      />
      {sku ? (
        <article class="detail" aria-label={`Stock of ${sku}`}>
          <h2>
            {sku}: {availability.data?.totalAvailable ?? "…"} available chain-wide
          </h2>
          <ErrorBanner error={availability.error} />
          <p class="summary">
            Replica lag {availability.lagMs ?? "?"} ms · checked{" "}
            {availability.checkedAt ? new Date(availability.checkedAt).toLocaleTimeString() : "…"}
          </p>
          <table aria-label={`Per-store stock of ${sku}`}>
            <thead>
              <tr>
                <th scope="col">Store</th>
                <th scope="col">On hand</th>
                <th scope="col">Reserved</th>
                <th scope="col">Available</th>
                <th scope="col">In transit</th>
                <th scope="col">Version</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {(availability.data?.perStore ?? []).map((row) => (
                <tr data-store={row.storeId}>
                  <td>{row.storeId}</td>
                  <td class="num" data-field="onHand">
                    {row.onHand}
                  </td>
                  <td class="num">{row.reserved}</td>
                  <td class="num">{row.available}</td>
                  <td class="num">{row.inTransit}</td>
                  <td class="num" data-field="version">
                    {row.version}
                  </td>
                  <td>{row.lastEventAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mayOperate ? <EventsTimeline api={api} sku={sku} /> : <p>The events timeline needs an operator's or admin's token.</p>}
        </article>
      ) : null}
      <LowStock api={api} skus={(products.data?.items ?? []).map((p) => p.sku)} />
    </section>
  );
};
