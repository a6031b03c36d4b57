import type { ApiClient } from "../../api/api-client.js";
import type { FleetStatus } from "../../api/hub-types.js";
import { ErrorBanner } from "../../components/error-banner.js";
import { usePoll } from "../../live/use-poll.js";
import { DeadLetters } from "./dead-letters.js";
import { IdempotencyLookup } from "./idempotency-lookup.js";
import { RebuildProjection } from "./rebuild-projection.js";

/** The hub's outbox relay, dead letters, stored idempotent answers and the replica rebuild. */
export const OperationsPage = ({ api, mayOperate }: { api: ApiClient; mayOperate: boolean }) => {
  const status = usePoll<FleetStatus>(api, "/v1/projections/status", 2000);
  const outbox = status.data?.outbox;
  return (
    <section aria-labelledby="ops-title">
      <h1 id="ops-title">Operations</h1>
      {mayOperate ? null : (
        <p class="notice" role="note">
          Your token has neither the operator nor the admin role: the hub refuses these tools, and their actions are disabled.
        </p>
      )}
      <ErrorBanner error={status.error} />
      <h2>Outbox relay</h2>
      <dl class="facts">
        <dt>Leader here</dt>
        <dd>{outbox ? (outbox.leader ? "yes" : "no") : "?"}</dd>
        <dt>Backlog</dt>
        <dd data-testid="backlog">{outbox?.backlog ?? "?"}</dd>
        <dt>Oldest unpublished</dt>
        <dd>{outbox?.oldestUnpublishedAgeMs ?? "-"} ms</dd>
        <dt>Refused by Kafka (dead letters below)</dt>
        <dd data-testid="outbox-dead-lettered">{outbox?.deadLettered ?? "?"}</dd>
        <dt>Published since start</dt>
        <dd>{outbox?.published ?? "?"}</dd>
        <dt>Last error</dt>
        <dd>{outbox?.lastError ?? "none"}</dd>
      </dl>
      <DeadLetters api={api} mayOperate={mayOperate} />
      <IdempotencyLookup api={api} mayOperate={mayOperate} />
      <RebuildProjection api={api} mayOperate={mayOperate} />
    </section>
  );
};
