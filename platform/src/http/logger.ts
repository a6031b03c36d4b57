import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger } from "pino";

/** Structured JSON-lines logging. Every line that concerns a request or an event carries its traceId. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const REDACTED = "[redacted]";

/**
 * Field paths whose values never reach a log: credentials at the top of a line, in request headers, and in
 * the settings objects a process might log. Named one by one: pino's `*.` wildcards cost about three times
 * the rest of a line.
 */
export const REDACTED_PATHS = [
  ...["authorization", "Authorization", "cookie", "token", "accessToken", "refreshToken", "idToken", "password", "secret"],
  ...["AUTH_JWT_SECRET", "AGENT_TOKEN", "DEV_TOKEN"],
  ...["headers", "request.headers", "req.headers"].flatMap((h) => [`${h}.authorization`, `${h}.Authorization`, `${h}.cookie`]),
  ...["config", "auth", "env", "options"].flatMap((o) => [
    `${o}.token`,
    `${o}.secret`,
    `${o}.password`,
    `${o}.AUTH_JWT_SECRET`,
    `${o}.AGENT_TOKEN`,
    `${o}.DEV_TOKEN`,
  ]),
];

const isError = (value: unknown): value is Error => value instanceof Error;

/**
 * An error as a log field: its type, message and stack, the fields a driver adds to it (PostgreSQL's `code`,
 * `detail`, `constraint`; kafkajs's `retriable`), and its `cause` chain, each serialized the same way.
 */
const serializeErrors = (fields: Record<string, unknown>): Record<string, unknown> => {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    const serialized = isError(value)
      ? stdSerializers.errWithCause(value)
      : Array.isArray(value) && value.some(isError)
        ? value.map((v) => (isError(v) ? stdSerializers.errWithCause(v) : v))
        : undefined;
    if (serialized === undefined) continue;
    out ??= { ...fields };
    out[key] = serialized;
  }
  return out ?? fields;
};

const wrap = (p: PinoLogger): Logger => {
  const emit = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(level)) return;
    if (fields === undefined) p[level](msg);
    else p[level](serializeErrors(fields), msg);
  };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (fields) => wrap(p.child(serializeErrors(fields))),
  };
};

/**
 * Logs through pino as JSON lines of `{level, time, ...base, ...fields, msg}`, with `level` a name and `time`
 * an ISO timestamp, credentials redacted (see REDACTED_PATHS) and errors serialized with their cause.
 * `write` takes each line instead of stdout (tests); `npm run dev` pipes stdout through pino-pretty.
 * @example
 * const log = createLogger({ service: "hub" }, { level: "info" });
 * log.info("listening", { port: 8080 });
 */
export const createLogger = (
  base: Record<string, unknown>,
  options: { level?: LogLevel; write?: (line: string) => void; now?: () => Date } = {},
): Logger => {
  const now = options.now ?? (() => new Date());
  const destination: DestinationStream = options.write
    ? { write: (line: string) => options.write!(line.endsWith("\n") ? line.slice(0, -1) : line) }
    : pino.destination({ dest: 1, sync: true });
  return wrap(
    pino(
      {
        level: options.level ?? "info",
        base: serializeErrors(base),
        messageKey: "msg",
        // Errors are serialized by serializeErrors, under any field name; pino's own would flatten the cause.
        serializers: { err: (value: unknown) => value },
        timestamp: () => `,"time":${JSON.stringify(now().toISOString())}`,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACTED_PATHS, censor: REDACTED },
      },
      destination,
    ),
  );
};

export const silentLogger: Logger = createLogger({}, { level: "error", write: () => undefined });
