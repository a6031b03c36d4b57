import { useState } from "preact/hooks";
import type { ApiClient } from "../../api/api-client.js";
import type { ApiError } from "../../api/error-message.js";
import type { DeadLetter } from "../../api/hub-types.js";
import { ConfirmButton } from "../../components/confirm-button.js";
import { ErrorBanner } from "../../components/error-banner.js";
import { usePoll } from "../../live/use-poll.js";

const NO_ROLE = "Needs an operator's or admin's token";

export const DeadLetters = ({ api, mayOperate }: { api: ApiClient; mayOperate: boolean }) => {
  const letters = usePoll<{ items: DeadLetter[] }>(api, "/v1/dlt?limit=100", 5000);
  const [open, setOpen] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const replay = async (letter: DeadLetter) => {
    const res = await api.post<{ replayed: string[]; alreadyReplayed: string[]; unknown: string[] }>("/v1/dlt/replay", {
      topic: letter.topic,
      messageIds: [letter.messageId],
    });
    if (res.ok && res.body) {
      setError(undefined);
      setOutcome(
        `Replayed ${res.body.replayed.length}, already replayed ${res.body.alreadyReplayed.length}, unknown ${res.body.unknown.length} (${letter.topic} ${letter.messageId}).`,
      );
      letters.refresh();
    } else if (!res.ok) setError(res.error);
  };
  const items = letters.data?.items ?? [];
  return (
    <>
      <h2>Dead letters ({items.length})</h2>
      <ErrorBanner error={letters.error ?? error} />
      {outcome ? <p role="status">{outcome}</p> : null}
      <table aria-label="Dead letters">
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col">Message</th>
            <th scope="col">Key</th>
            <th scope="col">Replica</th>
            <th scope="col">Attempts</th>
            <th scope="col">Error</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((l) => {
            const id = `${l.topic}/${l.messageId}/${l.replicaId}`;
            return (
              <>
                <tr data-key={l.key ?? ""}>
                  <td>{l.topic}</td>
                  <td>{l.messageId}</td>
                  <td>{l.key ?? "-"}</td>
                  <td>{l.replicaId ?? "-"}</td>
                  <td class="num">{l.attempts}</td>
                  <td>{l.error}</td>
                  <td>
                    <button type="button" onClick={() => setOpen(open === id ? null : id)} aria-expanded={open === id}>
                      Inspect
                    </button>{" "}
                    <ConfirmButton
                      label="Replay"
                      question={`Send ${l.messageId} back to ${l.topic}?`}
                      disabled={!mayOperate}
                      disabledReason={NO_ROLE}
                      onConfirm={() => void replay(l)}
                    />
                  </td>
                </tr>
                {open === id ? (
                  <tr>
                    <td colSpan={7}>
                      <figure class="payload" aria-label="Payload">
                        <pre>{l.value}</pre>
                      </figure>
                    </td>
                  </tr>
                ) : null}
              </>
            );
          })}
        </tbody>
      </table>
      {items.length === 0 && letters.data ? <p>No dead letters.</p> : null}
    </>
  );
};
