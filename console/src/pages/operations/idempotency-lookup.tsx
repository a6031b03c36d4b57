import { useState } from "preact/hooks";
import { query, type ApiClient } from "../../api/api-client.js";
import type { ApiError } from "../../api/error-message.js";
import { ErrorBanner } from "../../components/error-banner.js";

/** The stored answer of one (caller, Idempotency-Key). */
export const IdempotencyLookup = ({ api, mayOperate }: { api: ApiClient; mayOperate: boolean }) => {
  const [key, setKey] = useState("");
  const [scope, setScope] = useState("");
  const [answer, setAnswer] = useState<unknown>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const look = async () => {
    const res = await api.get<unknown>(`/v1/idempotency/${encodeURIComponent(key.trim())}${query({ scope: scope.trim() })}`);
    setError(res.ok ? undefined : res.error);
    setAnswer(res.ok ? res.body : null);
  };
  return (
    <>
      <h2>Idempotency look-up</h2>
      <form onSubmit={(e) => (e.preventDefault(), void look())}>
        <label>
          Key <input value={key} onInput={(e) => setKey(e.currentTarget.value)} required />
        </label>{" "}
        <label>
          Caller (token subject) <input value={scope} onInput={(e) => setScope(e.currentTarget.value)} placeholder="yours by default" />
        </label>{" "}
        <button type="submit" disabled={!mayOperate} title={mayOperate ? undefined : "Needs an operator's or admin's token"}>
          Look up
        </button>
      </form>
      <ErrorBanner error={error} />
      {answer ? (
        <figure class="payload" aria-label="Stored answer">
          <pre>{JSON.stringify(answer, null, 2)}</pre>
        </figure>
      ) : null}
    </>
  );
};
