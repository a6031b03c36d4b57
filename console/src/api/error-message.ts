import type { ErrorCode } from "@inventory/shared";

/** What each of the product's error codes means to an operator looking at this page. */
const MEANING: Record<ErrorCode, string> = {
  VALIDATION_ERROR: "The request was not valid",
  IDEMPOTENCY_KEY_REQUIRED: "The request lacked an Idempotency-Key",
  WEBHOOK_TARGET_REFUSED: "The webhook address is not a public one the hub may call",
  UNAUTHORIZED: "Your token was refused: sign in again",
  FORBIDDEN: "Your role does not allow this",
  NOT_FOUND: "Not found",
  ALREADY_EXISTS: "It already exists",
  INSUFFICIENT_STOCK: "Not enough stock",
  VERSION_CONFLICT: "Someone changed it first: reload and try again",
  NO_STORES: "No store can take it",
  IDEMPOTENCY_KEY_IN_USE: "The same request is still running: retry in a moment",
  INVALID_STATE: "It is no longer in a state that allows this",
  RESERVATION_EXPIRED: "The reservation has expired",
  OFFLINE_SALE_TOO_OLD: "The offline sale is too old to replay: record it by a recount",
  QUANTITY_LIMIT_EXCEEDED: "The quantity is over the limit",
  IDEMPOTENCY_KEY_REUSED: "That key was used for a different request",
  PAYLOAD_TOO_LARGE: "The request is too large",
  RATE_LIMITED: "Too many writes: slow down",
  UNSUPPORTED_MEDIA_TYPE: "The request was not JSON",
  UNAVAILABLE: "The hub cannot do this right now",
};

export interface ApiError {
  readonly status: number;
  readonly code: string;
  /** One line for the banner: what it means, then what the server said, then when to retry. */
  readonly text: string;
  readonly body: Record<string, unknown>;
}

export const describeError = (status: number, body: Record<string, unknown>, retryAfter: string | null): ApiError => {
  const code = typeof body.code === "string" ? body.code : `HTTP_${status}`;
  const meaning = MEANING[code as ErrorCode] ?? `The hub answered ${status}`;
  const said = typeof body.message === "string" ? body.message : "";
  const extra = code === "VERSION_CONFLICT" && typeof body.currentVersion === "number" ? ` (current version ${body.currentVersion})` : "";
  const retry = retryAfter && /^\d+$/.test(retryAfter) ? ` Retry after ${retryAfter} s.` : "";
  return { status, code, body, text: `${meaning}${extra}${said ? `: ${said}` : ""} (${status} ${code}).${retry}` };
};

export const networkError = (message: string): ApiError => ({
  status: 0,
  code: "NETWORK",
  body: {},
  text: `The hub did not answer (${message}). The page keeps trying.`,
});
