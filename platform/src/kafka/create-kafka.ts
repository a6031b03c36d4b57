import { Kafka, logLevel, type LogEntry, type SASLOptions } from "kafkajs";
import type { Logger } from "../http/logger.js";
import type { KafkaSecurity } from "./kafka-security.js";

export interface KafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TCP connect timeout for each broker connection. Default 3000. */
  readonly connectionTimeoutMs?: number;
  /** Timeout for each Kafka request. Default 10000. */
  readonly requestTimeoutMs?: number;
  /** TLS and SASL; none for the plaintext development broker. */
  readonly security?: KafkaSecurity;
  /** Upper bound on a SASL handshake and authentication. Default 10000. */
  readonly authenticationTimeoutMs?: number;
}

const LEVELS: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/** The one place kafkajs is configured: timeouts on every call, connection security, and its logs routed into ours. */
export const createKafka = (options: KafkaOptions, log: Logger): Kafka => {
  const { tls, sasl } = options.security ?? {};
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 10000,
    authenticationTimeout: options.authenticationTimeoutMs ?? 10000,
    // Node checks the broker's certificate and its name against the address it dialled.
    ...(tls ? { ssl: tls.ca ? { ca: [tls.ca], rejectUnauthorized: true } : true } : {}),
    ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions } : {}),
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 10 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...fields } = entry;
        log[LEVELS[level] ?? "info"](`kafka: ${message}`, { kafka: fields });
      },
  });
};
