import { Kafka, logLevel, type LogEntry } from "kafkajs";
import type { Logger } from "../http/logger.js";

export interface KafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TCP connect timeout for each broker connection. Default 3000. */
  readonly connectionTimeoutMs?: number;
  /** Timeout for each Kafka request. Default 10000. */
  readonly requestTimeoutMs?: number;
}

const LEVELS: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/** The one place kafkajs is configured: timeouts on every call, and its logs routed into ours. */
export const createKafka = (options: KafkaOptions, log: Logger): Kafka =>
  new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 10000,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 10 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...fields } = entry;
        log[LEVELS[level] ?? "info"](`kafka: ${message}`, { kafka: fields });
      },
  });
