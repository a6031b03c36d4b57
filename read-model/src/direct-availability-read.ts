import type { IncomingMessage, ServerResponse } from "node:http";
import { IDENTIFIER_PATTERN, isFailure } from "@inventory/shared";
import { holdsTag, nodeRequestHeader, TRACE_HEADER, traceIdFrom, type DirectRoute, type RequestObserver } from "@inventory/platform";
import type { AnswerAvailability } from "./availability-answer.js";

const PATH = "/v1/availability";
const IDENTIFIER = IDENTIFIER_PATTERN.source.slice(1, -1);
/** The plain form of the query, nothing to decode: `sku=<id>` or `sku=<id>&storeId=<id>`. */
const PLAIN_QUERY = new RegExp(`^sku=(${IDENTIFIER})(?:&storeId=(${IDENTIFIER}))?$`);

/**
 * `GET /v1/availability` answered on Node's own request and response, without the router's per-request
 * context, middleware chain and web Response: the hot read of a store's tills. It takes only the plain,
 * bodiless, token-free form whose answer exists (200, or 304 for a held ETag), and answers it with the same
 * status, headers and body as the routed path; everything else (a query to decode, a consistency token, a
 * 400 or 404) it leaves to the routed path. `enabled` is asked per request (e.g. no pending offline sales).
 */
export const directAvailabilityRead = (
  answer: AnswerAvailability,
  observer: RequestObserver,
  options: { readonly lagHeader: string; readonly enabled: () => boolean },
): DirectRoute => {
  const prefix = `${PATH}?`;
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url;
    if (req.method !== "GET" || url === undefined || !url.startsWith(prefix)) return false;
    const headers = req.headers;
    if (
      headers["x-consistency-token"] !== undefined ||
      headers["content-length"] !== undefined ||
      headers["transfer-encoding"] !== undefined
    ) {
      return false;
    }
    const query = PLAIN_QUERY.exec(url.slice(prefix.length));
    if (query === null || !options.enabled()) return false;
    const startedAt = performance.now();
    const found = answer(query[1]!, query[2]);
    if (isFailure(found)) return false;
    const traceId = traceIdFrom(nodeRequestHeader(req, "x-trace-id"));
    const { text, tag } = found.answer;
    res.setHeader(TRACE_HEADER, traceId);
    res.setHeader(options.lagHeader, String(found.lagMs));
    res.setHeader("ETag", tag);
    let status = 200;
    if (holdsTag(nodeRequestHeader(req, "if-none-match"), tag)) {
      status = 304;
      res.writeHead(304, { "Content-Type": "application/json" });
      res.end();
    } else {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
    }
    observer.finished({ traceId, method: "GET", route: PATH, path: PATH, status, startedAt });
    return true;
  };
};
