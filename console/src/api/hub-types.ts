import type { ReservationListPage, TransferListPage } from "@inventory/shared";

export type { ReservationListPage, TransferListPage };

/**
 * `GET /v1/projections/status` as the hub answers it (hub/src/routes/operations-routes.ts). The hub assembles it
 * from the replica feed's and the agents' reports without a shared type, so its shape is written down here.
 */
export interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: number;
  readonly lastEventAt: string | null;
}

export interface ProjectionStatus {
  readonly projection: string;
  readonly storeId?: string;
  readonly state: string;
  readonly lagMs: number;
  readonly caughtUp: boolean;
  readonly lastError: string | null;
  readonly reportedAt?: string;
  /** An agent's circuit breaker towards the hub: CLOSED, OPEN (writes answer 503 at once) or HALF_OPEN. */
  readonly breaker?: string;
  /** An agent with OFFLINE_SALES: sales journaled while the hub was unreachable, waiting to be replayed. */
  readonly offline?: { readonly queued: number; readonly refused: number; readonly oldestQueuedAt: string | null };
  readonly partitions: readonly PartitionPosition[];
  readonly rebuild?: { readonly state: string };
}

export interface FleetStatus {
  readonly projections: readonly ProjectionStatus[];
  readonly outbox: {
    readonly leader: boolean;
    readonly published: number;
    readonly backlog: number | null;
    readonly oldestUnpublishedAgeMs: number | null;
    /** Events Kafka refused for good, kept in the outbox as dead letters (`outbox-<id>`). */
    readonly deadLettered?: number | null;
    readonly lastError: string | null;
    readonly lastPublishedAt: string | null;
  };
}

/** `GET /v1/dlt` items (openapi.yaml, DeadLetter). */
export interface DeadLetter {
  readonly messageId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly error: string;
  readonly attempts: number;
  readonly replicaId: string | null;
  readonly value: string;
}
