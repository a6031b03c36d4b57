import type pg from "pg";
import type { ReplicaHandle } from "@inventory/read-model";
import type { ReadinessProbe } from "@inventory/platform";
import type { OutboxRelay } from "./outbox/outbox-relay.js";

/** The hub is ready when it can write (PostgreSQL answers) and its replica is fed (Kafka answers). */
export const hubReadiness =
  (deps: { pool: pg.Pool; replica: ReplicaHandle; relay: OutboxRelay }): ReadinessProbe =>
  async () => {
    const postgres = await deps.pool.query("SELECT 1").then(
      () => ({ ok: true, required: true }),
      (err: Error) => ({ ok: false, required: true, detail: err.message }),
    );
    const feed = deps.replica.status();
    const relay = deps.relay.status();
    return {
      postgres,
      kafka: {
        ok: feed.caughtUp && feed.lagMs < 5000,
        required: true,
        detail: `replica lag ${feed.lagMs} ms${feed.lastError ? `; ${feed.lastError}` : ""}`,
      },
      outboxRelay: {
        ok: relay.lastErrorAt === null || (relay.lastPublishedAt ?? "") > relay.lastErrorAt,
        required: false,
        detail: relay.lastError ?? (relay.leader ? "leader" : "standby"),
      },
    };
  };
