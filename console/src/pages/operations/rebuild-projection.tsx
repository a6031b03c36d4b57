import { useState } from "preact/hooks";
import type { ApiClient } from "../../api/api-client.js";
import type { ApiError } from "../../api/error-message.js";
import { ConfirmButton } from "../../components/confirm-button.js";
import { ErrorBanner } from "../../components/error-banner.js";

/** Loads a new replica file for the hub from the chain view and the events after it, while the current one keeps serving. */
export const RebuildProjection = ({ api, mayOperate }: { api: ApiClient; mayOperate: boolean }) => {
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const rebuild = async () => {
    const res = await api.post<Record<string, unknown>>("/v1/projections/rebuild", {});
    setError(res.ok ? undefined : res.error);
    setOutcome(res.ok ? `Rebuild of ${String(res.body?.projection)}: ${String(res.body?.state ?? "started")}` : null);
  };
  return (
    <>
      <h2>Rebuild the hub's replica</h2>
      <p>
        Loads a new replica file from the chain view (every item's latest state) and continues with the events after it; the current one
        keeps serving until the new one has caught up.
      </p>
      <ConfirmButton
        label="Rebuild"
        question="Rebuild the hub's replica from the chain view?"
        disabled={!mayOperate}
        disabledReason="Needs an operator's or admin's token"
        onConfirm={() => void rebuild()}
      />
      <ErrorBanner error={error} />
      {outcome ? <p role="status">{outcome}</p> : null}
    </>
  );
};
