import { availabilityResponse, failure, type Failure } from "@inventory/shared";
import type { PreparedJson } from "@inventory/platform";
import { answerLagMs, type LaggingReplica } from "./answer-lag.js";
import { readyAnswers } from "./ready-answers.js";

export interface AvailabilityAnswer {
  readonly answer: PreparedJson;
  /** What X-Projection-Lag-ms says of it. */
  readonly lagMs: number;
}

/** The availability of one SKU, at one store or chain-wide: a prepared answer, or NOT_FOUND. */
export type AnswerAvailability = (sku: string, storeId?: string) => AvailabilityAnswer | Failure;

/**
 * Availability reads over a replica, kept ready between the events that change them. One per replica handle,
 * shared by every path that answers these reads, so each answer is prepared once.
 */
export const availabilityAnswers = (replica: LaggingReplica): AnswerAvailability => {
  const answers = readyAnswers();
  return (sku, storeId) => {
    const store = replica.store();
    if (storeId !== undefined && !store.storeExists(storeId)) return failure("NOT_FOUND", `unknown store ${storeId}`);
    const answer = answers.get(store, sku, storeId ?? "", () => {
      const rows = store.availability(sku, storeId);
      return rows === undefined ? undefined : availabilityResponse(sku, rows);
    });
    if (answer === undefined) return failure("NOT_FOUND", `unknown sku ${sku}`);
    return { answer, lagMs: answerLagMs(replica, storeId === undefined ? "chain" : [storeId]) };
  };
};
