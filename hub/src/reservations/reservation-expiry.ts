import type { Logger, Metrics } from "@inventory/platform";
import { isFailure } from "@inventory/shared";
import type { Database } from "../db/database.js";
import type { SystemCommandRunner } from "../command-pipeline/execute-command.js";
import { expireReservationCommand } from "./transition-reservation.js";
import { reservationsDueForExpiry } from "./reservation-rows.js";

export interface ReservationExpiryOptions {
  readonly db: Database;
  readonly run: SystemCommandRunner;
  readonly log: Logger;
  /** How often to look for reservations whose time is up. Default 500. */
  readonly sweepIntervalMs?: number;
  readonly batchSize?: number;
  readonly metrics?: Metrics;
}

/**
 * Expires reservations whose time is up and releases their units. Each expiry is its own transaction that
 * re-checks the reservation under its row lock, so with several hubs sweeping, or a confirm racing, the
 * units move exactly once. Reservations that came due while no hub ran are expired on the next sweep.
 */
export const startReservationExpiry = (options: ReservationExpiryOptions) => {
  const interval = options.sweepIntervalMs ?? 500;
  let expired = 0;
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const sweep = async () => {
    const due = await options.db.transaction((tx) => reservationsDueForExpiry(tx, new Date(), options.batchSize ?? 200));
    for (const reservationId of due) {
      if (!running) return;
      const outcome = await options.run(`expiry-${reservationId}`, expireReservationCommand(reservationId));
      if (!isFailure(outcome) && outcome.status === 202) {
        expired += 1;
        options.metrics?.reservationExpiries.inc();
        options.log.info("reservation expired", { reservationId, traceId: `expiry-${reservationId}` });
      }
    }
  };

  const tick = () => {
    current = sweep()
      .catch((err: unknown) => options.log.warn("reservation expiry sweep failed; will retry", { error: String(err) }))
      .finally(() => {
        if (running) timer = setTimeout(tick, interval);
      });
  };
  tick();

  return {
    expired: () => expired,
    stop: async () => {
      running = false;
      clearTimeout(timer);
      await current;
    },
  };
};
