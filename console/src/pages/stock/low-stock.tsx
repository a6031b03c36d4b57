import { useState } from "preact/hooks";
import type { AvailabilityResponse, AvailabilityView } from "@inventory/shared";
import type { ApiClient } from "../../api/api-client.js";
import type { ApiError } from "../../api/error-message.js";
import { ErrorBanner } from "../../components/error-banner.js";

/** Stores whose available units of the listed SKUs are at or below a threshold. */
export const LowStock = ({ api, skus }: { api: ApiClient; skus: readonly string[] }) => {
  const [threshold, setThreshold] = useState(5);
  const [rows, setRows] = useState<AvailabilityView[] | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const check = async () => {
    const answers = await Promise.all(
      skus.map((sku) => api.get<AvailabilityResponse>(`/v1/items/${encodeURIComponent(sku)}/availability`)),
    );
    const failed = answers.find((a) => !a.ok);
    setError(failed && !failed.ok ? failed.error : undefined);
    setRows(answers.flatMap((a) => (a.ok && a.body ? a.body.perStore : [])).filter((r) => r.available <= threshold));
  };
  return (
    <section aria-labelledby="low-stock-title" class="detail">
      <h2 id="low-stock-title">Low stock</h2>
      <form onSubmit={(e) => (e.preventDefault(), void check())}>
        <label>
          Available at or below{" "}
          <input type="number" min={0} value={threshold} onInput={(e) => setThreshold(Number(e.currentTarget.value))} />
        </label>{" "}
        <button type="submit">Check the SKUs listed above</button>
      </form>
      <ErrorBanner error={error} />
      {rows === null ? null : rows.length === 0 ? (
        <p>No store is at or below {threshold}.</p>
      ) : (
        <table aria-label="Low stock">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Store</th>
              <th scope="col">Available</th>
              <th scope="col">On hand</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.sku}</td>
                <td>{r.storeId}</td>
                <td class="num">{r.available}</td>
                <td class="num">{r.onHand}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
