import { useState } from "preact/hooks";
import type { ApiClient } from "../../api/api-client.js";
import type { ApiError } from "../../api/error-message.js";
import { ConfirmButton } from "../../components/confirm-button.js";
import { ErrorBanner } from "../../components/error-banner.js";

/** Replays every topic into a new replica file for the hub while the current one keeps serving. */
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
      <p>Replays every topic from offset zero into a new replica file; the current one keeps serving until the new one has caught up.</p>
      <ConfirmButton
        label="Rebuild"
        question="Rebuild the hub's replica from offset zero?"
        disabled={!mayOperate}
        disabledReason="Needs an operator's or admin's token"
        onConfirm={() => void rebuild()}
      />
      <ErrorBanner error={error} />
      {outcome ? <p role="status">{outcome}</p> : null}
    </>
  );
};
