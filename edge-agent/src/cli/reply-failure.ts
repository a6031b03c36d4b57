import { cliFailure, type CliFailure } from "./cli-failure.js";
import type { Reply } from "./classify-reply.js";

export interface FailureContext {
  /** What was being done, for the messages: "adjust A1 at S1", "read the events timeline". */
  readonly action: string;
  /** What to tell the user about retrying when the server could not be reached. */
  readonly retryHint: string;
}

/** Says in shop-floor words why the store agent or the hub did not answer. */
export const unreachableMessage = (reply: Extract<Reply, { kind: "unavailable" }>, agentUrl: string): string => {
  switch (reply.why) {
    case "unreachable":
      return `Cannot reach the store agent at ${agentUrl} (${reply.message}). Is it running, and is --agent right?`;
    case "timeout":
      return `The store agent at ${agentUrl} did not answer in time (${reply.message}).`;
    case "hub-unavailable":
      return `The central hub cannot be reached right now (the store agent says: ${reply.message}).`;
  }
};

/** Turns any answer other than success into the failure a single command reports. */
export const replyFailure = (reply: Exclude<Reply, { kind: "ok" }>, context: FailureContext, agentUrl: string): CliFailure => {
  switch (reply.kind) {
    case "unavailable":
      return cliFailure("unavailable", `${unreachableMessage(reply, agentUrl)} ${context.retryHint}`);
    case "busy":
      return cliFailure("unavailable", `The same request is still being processed by the hub. ${context.retryHint}`);
    case "refused":
      return cliFailure("refused", `Refused: could not ${context.action}: ${reply.message} (${reply.code})`, {
        code: reply.code,
        ...reply.body,
      });
    case "no-route":
      return cliFailure(
        "failed",
        `${agentUrl} cannot ${context.action} yet: it answered "${reply.message}". The hub may not have this feature yet; try a newer version, or --agent <hub url>.`,
      );
    case "unauthorized":
      return cliFailure("usage", `The token was refused (${reply.message}). Check --token, INVENTORY_TOKEN or the config file.`);
    case "forbidden":
      return cliFailure(
        "refused",
        `Not allowed: could not ${context.action}: ${reply.message} (${reply.code}). Your token does not allow it; ask someone whose role does.`,
        {
          code: reply.code,
        },
      );
    case "invalid":
      return cliFailure("usage", `Could not ${context.action}: ${reply.message} (${reply.code})`);
    case "unexpected":
      return cliFailure(
        "failed",
        `Could not ${context.action}: unexpected answer ${reply.status} (${reply.message})${reply.traceId ? `; trace id ${reply.traceId}` : ""}`,
      );
  }
};
