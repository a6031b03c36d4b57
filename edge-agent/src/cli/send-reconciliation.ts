import type { ApiClient } from "./api-client.js";
import { classifyReply, type Reply } from "./classify-reply.js";
import { cliFailure, type CliFailure } from "./cli-failure.js";
import { countsDigest, reconciliationKey } from "./idempotency-key.js";
import type { CountLine } from "./parse-count-csv.js";
import type { LineOutcome } from "./recount-outcome.js";

/** SKUs per reconciliation request: well inside the hub's snapshot and body-size limits even with long SKUs. */
export const RECONCILIATION_CHUNK_LINES = 5000;

export interface SentReconciliation {
  /** Outcomes of the lines the hub answered for (or that will not be sent because it is unreachable). */
  readonly outcomes: Map<number, LineOutcome>;
  readonly reconciliationIds: string[];
  /** Lines left to send one by one, because this server does not take reconciliations. */
  readonly fallback?: { readonly lines: readonly CountLine[]; readonly reason: string };
  readonly stoppedBy?: Extract<Reply, { kind: "unavailable" | "busy" }>;
}

export interface SendReconciliationInput {
  readonly api: ApiClient;
  readonly storeId: string;
  readonly countRef: string;
  readonly counts: readonly CountLine[];
  readonly onDone?: (count: number) => void;
}

const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const entries = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null) : [];

/** Reads a 202 answer: `changes` applied (or already applied, when replayed), `rejected` refused, the rest unchanged. */
const chunkOutcomes = (chunk: readonly CountLine[], body: Record<string, unknown>, replayed: boolean): Map<number, LineOutcome> => {
  const changed = new Map(entries(body.changes).map((c) => [String(c.sku), Number(c.onHand)]));
  const rejected = new Map(entries(body.rejected).map((r) => [String(r.sku), r]));
  const outcomes = new Map<number, LineOutcome>();
  for (const line of chunk) {
    const refusal = rejected.get(line.sku);
    const onHand = changed.get(line.sku);
    outcomes.set(
      line.line,
      refusal
        ? { status: "refused", code: String(refusal.code ?? "REJECTED"), message: String(refusal.message ?? refusal.code ?? "rejected") }
        : onHand !== undefined
          ? replayed
            ? { status: "already-applied" }
            : { status: "applied", onHand }
          : { status: "unchanged" },
    );
  }
  return outcomes;
};

/**
 * Sends a large count as reconciliations of up to RECONCILIATION_CHUNK_LINES lines, each under a key derived from
 * the count reference and the digest of its lines, so a re-run replays instead of applying again. When the
 * server has no reconciliation endpoint, the lines are handed back to be sent one by one.
 */
export const sendReconciliation = async (input: SendReconciliationInput): Promise<SentReconciliation | CliFailure> => {
  const { api, storeId, countRef } = input;
  const outcomes = new Map<number, LineOutcome>();
  const reconciliationIds: string[] = [];
  const chunks = chunksOf(input.counts, RECONCILIATION_CHUNK_LINES);
  let sent = 0;
  for (const [index, chunk] of chunks.entries()) {
    const key = reconciliationKey(countRef, storeId, countsDigest(chunk));
    const snapshotOnHand = Object.fromEntries(chunk.map((c) => [c.sku, c.onHand]));
    const reply = classifyReply(
      await api.post("/v1/reconciliations", { storeId, snapshotOnHand, source: countRef }, { idempotencyKey: key }),
    );
    const rest = () => chunks.slice(index).flat();
    switch (reply.kind) {
      case "ok":
        for (const [line, outcome] of chunkOutcomes(chunk, reply.body, reply.replayed)) outcomes.set(line, outcome);
        if (typeof reply.body.reconciliationId === "string") reconciliationIds.push(reply.body.reconciliationId);
        break;
      case "no-route":
        return {
          outcomes,
          reconciliationIds,
          fallback: { lines: rest(), reason: `${api.baseUrl} does not take reconciliations yet (${reply.message})` },
        };
      case "forbidden":
        // A clerk may recount their store line by line but not reconcile it: the same count still goes through.
        return {
          outcomes,
          reconciliationIds,
          fallback: { lines: rest(), reason: `this token may not send reconciliations (${reply.message})` },
        };
      case "invalid":
        if (reply.code === "PAYLOAD_TOO_LARGE") {
          return {
            outcomes,
            reconciliationIds,
            fallback: { lines: rest(), reason: `the reconciliation was too large for the server (${reply.message})` },
          };
        }
        for (const line of chunk) outcomes.set(line.line, { status: "refused", code: reply.code, message: reply.message });
        break;
      case "refused":
        for (const line of chunk) outcomes.set(line.line, { status: "refused", code: reply.code, message: reply.message });
        break;
      case "unexpected":
        for (const line of chunk) outcomes.set(line.line, { status: "refused", code: `HTTP_${reply.status}`, message: reply.message });
        break;
      case "unauthorized":
        return cliFailure("usage", `The token was refused (${reply.message}). Check --token, INVENTORY_TOKEN or the config file.`);
      case "unavailable":
      case "busy":
        for (const line of rest()) outcomes.set(line.line, { status: "not-sent", message: reply.message });
        return { outcomes, reconciliationIds, stoppedBy: reply };
    }
    sent += chunk.length;
    input.onDone?.(sent);
  }
  return { outcomes, reconciliationIds };
};
