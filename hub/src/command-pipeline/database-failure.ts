import { failure, type Failure } from "@inventory/shared";

const UNAVAILABLE_SQLSTATES = new Set(["57014", "55P03", "57P01", "57P02", "57P03", "53300", "53400", "25P03"]);
const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]);
const CONNECTION_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ECONNABORTED"]);

const codeOf = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; cause?: unknown } | null;
  if (e && typeof e.code === "string") return e.code;
  return e && e.cause ? codeOf(e.cause) : undefined;
};

/** Messages along the cause chain: drizzle wraps the driver's error ("Failed query: ...", cause: the real one). */
const messageOf = (err: unknown): string => {
  const messages: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    messages.push(e instanceof Error ? e.message : String(e));
  }
  return messages.join(" <- ");
};

/** A transaction that lost a race (serialization failure, deadlock) and may simply be run again. */
export const isRetryableDatabaseError = (err: unknown): boolean => RETRYABLE_SQLSTATES.has(codeOf(err) ?? "");

/**
 * The database could not be reached or could not answer in time: the hub cannot write safely, so it says 503.
 * Anything else is not classified here and stays an unexpected error.
 */
export const databaseUnavailable = (err: unknown): Failure | undefined => {
  const code = codeOf(err);
  const message = messageOf(err);
  const unreachable =
    (code !== undefined && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith("08") || CONNECTION_ERRNOS.has(code))) ||
    /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|connection.*(closed|ended)|Client was closed|not queryable|terminating connection/i.test(
      message,
    );
  return unreachable
    ? failure("UNAVAILABLE", "the stock database is unavailable; nothing was changed, retry later", {
        retryAfterSeconds: 2,
        dependency: "postgres",
      })
    : undefined;
};
