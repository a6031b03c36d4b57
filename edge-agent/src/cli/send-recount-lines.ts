import type { ApiClient } from "./api-client.js";
import { classifyReply, type Reply } from "./classify-reply.js";
import { cliFailure, type CliFailure } from "./cli-failure.js";
import { recountLineKey } from "./idempotency-key.js";
import type { DiffLine } from "./recount-diff.js";
import type { LineOutcome } from "./recount-outcome.js";

/** How often a line whose key is still in flight (an earlier run's request) is tried again, and how long apart. */
const BUSY_RETRIES = 5;
const BUSY_WAIT_MS = 300;

export interface SentLines {
  readonly outcomes: Map<number, LineOutcome>;
  /** Why sending stopped before the end: the agent or hub could not be reached. */
  readonly stoppedBy?: Extract<Reply, { kind: "unavailable" | "busy" }>;
}

export interface SendLinesInput {
  readonly api: ApiClient;
  readonly storeId: string;
  readonly countRef: string;
  readonly lines: readonly DiffLine[];
  readonly sleep: (ms: number) => Promise<void>;
  readonly onDone?: (count: number) => void;
}

const outcomeOf = (reply: Reply): LineOutcome => {
  switch (reply.kind) {
    case "ok":
      return reply.replayed ? { status: "already-applied" } : { status: "applied", onHand: Number(reply.body.onHand) };
    case "refused":
    case "invalid":
    case "forbidden":
      return { status: "refused", code: reply.code, message: reply.message };
    case "unexpected":
      return {
        status: "refused",
        code: `HTTP_${reply.status}`,
        message: `${reply.message}${reply.traceId ? ` (trace id ${reply.traceId})` : ""}`,
      };
    case "no-route":
      return { status: "refused", code: "NO_ROUTE", message: reply.message };
    default:
      return { status: "not-sent", message: reply.message };
  }
};

/**
 * Sends each line as an absolute recount, one at a time, each under its own derived Idempotency-Key, so a
 * line already applied by an earlier run is replayed, not applied again. Stops at the first sign that the
 * agent or hub cannot be reached; the lines not sent are reported as such.
 */
export const sendRecountLines = async (input: SendLinesInput): Promise<SentLines | CliFailure> => {
  const { api, storeId, countRef } = input;
  const outcomes = new Map<number, LineOutcome>();
  let stoppedBy: SentLines["stoppedBy"];
  for (const [index, line] of input.lines.entries()) {
    if (stoppedBy) {
      outcomes.set(line.line, { status: "not-sent", message: stoppedBy.message });
      continue;
    }
    const key = recountLineKey(countRef, storeId, line.sku, line.counted);
    const body = { storeId, sku: line.sku, onHand: line.counted, countRef };
    let reply = classifyReply(await api.post("/v1/items:set-absolute", body, { idempotencyKey: key }));
    for (let attempt = 1; reply.kind === "busy" && attempt <= BUSY_RETRIES; attempt++) {
      await input.sleep(BUSY_WAIT_MS * attempt);
      reply = classifyReply(await api.post("/v1/items:set-absolute", body, { idempotencyKey: key }));
    }
    if (reply.kind === "unauthorized") {
      return cliFailure("usage", `The token was refused (${reply.message}). Check --token, INVENTORY_TOKEN or the config file.`);
    }
    if (reply.kind === "unavailable" || reply.kind === "busy") stoppedBy = reply;
    outcomes.set(line.line, outcomeOf(reply));
    input.onDone?.(index + 1);
  }
  return stoppedBy ? { outcomes, stoppedBy } : { outcomes };
};
