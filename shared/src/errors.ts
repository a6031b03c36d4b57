/**
 * Expected outcomes that are not successes. Each code has exactly one HTTP status;
 * hub and edge agent turn them into responses in one place (`failureResponse` in
 * `platform/src/http/error-response.ts`).
 */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  WEBHOOK_TARGET_REFUSED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INSUFFICIENT_STOCK: 409,
  VERSION_CONFLICT: 409,
  NO_STORES: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  INVALID_STATE: 409,
  RESERVATION_EXPIRED: 409,
  QUANTITY_LIMIT_EXCEEDED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  OFFLINE_SALE_TOO_OLD: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An expected failure as a value: a code, a human message and machine-readable details. */
export interface Failure<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export const failure = <C extends ErrorCode>(code: C, message: string, details?: Record<string, unknown>): Failure<C> =>
  details === undefined ? { code, message } : { code, message, details };

export const isFailure = (value: unknown): value is Failure =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { code?: unknown }).code === "string" &&
  (value as { code: string }).code in ERROR_STATUS &&
  typeof (value as { message?: unknown }).message === "string";

/** The JSON body every error response carries: `{code, message, ...details}`. */
export const failureBody = (f: Failure): Record<string, unknown> => ({ code: f.code, message: f.message, ...f.details });

export const failureStatus = (f: Failure): number => ERROR_STATUS[f.code];
