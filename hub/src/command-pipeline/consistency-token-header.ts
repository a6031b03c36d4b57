import { encodeConsistencyToken, tokenOfAggregates } from "@inventory/shared";
import type { Reply } from "./command.js";
import type { OutboxEntry } from "../outbox/append-to-outbox.js";

export const CONSISTENCY_TOKEN_HEADER = "X-Consistency-Token";

/**
 * An accepted command's answer carries the token of the rows its events left behind; it is stored with the
 * answer, so a replay under the same key carries the same token. A refusal changed nothing and carries none.
 */
export const withConsistencyToken = (reply: Reply, events: readonly OutboxEntry[]): Reply =>
  reply.status >= 300
    ? reply
    : {
        ...reply,
        headers: {
          ...reply.headers,
          [CONSISTENCY_TOKEN_HEADER]: encodeConsistencyToken(tokenOfAggregates(events.map((e) => e.event.aggregate))),
        },
      };
