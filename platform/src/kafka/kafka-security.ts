import { readFileSync } from "node:fs";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/**
 * How a process proves itself to Kafka and checks the brokers, from its environment (hub and agents alike).
 * Nothing set: plaintext and anonymous, the single-node development broker. A CA file turns on TLS; a
 * user and a password file add SASL/SCRAM on top.
 */
export const kafkaSecurityEnvSchema = z.object({
  /** TLS to the brokers; on by itself when a CA file is given. */
  KAFKA_TLS: bool.optional(),
  /** PEM file of the CA that signed the brokers' certificates; unset with KAFKA_TLS=true, the system's CAs. */
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(["scram-sha-512", "scram-sha-256", "plain"]).default("scram-sha-512"),
  KAFKA_SASL_USERNAME: z.string().min(1).max(200).optional(),
  /** A file holding the password (its surrounding whitespace dropped), so it stays out of `ps` and env dumps. */
  KAFKA_SASL_PASSWORD_FILE: z.string().min(1).optional(),
});

export type KafkaSecurityEnv = z.infer<typeof kafkaSecurityEnvSchema>;

/** The connection security handed to the kafkajs factory. */
export interface KafkaSecurity {
  readonly tls?: { readonly ca?: string };
  readonly sasl?: { readonly mechanism: KafkaSecurityEnv["KAFKA_SASL_MECHANISM"]; readonly username: string; readonly password: string };
}

/** Problems in a parsed security environment that zod's per-field checks cannot see; empty when it is coherent. */
export const kafkaSecurityProblems = (env: KafkaSecurityEnv): string[] => {
  const problems: string[] = [];
  if ((env.KAFKA_SASL_USERNAME === undefined) !== (env.KAFKA_SASL_PASSWORD_FILE === undefined)) {
    problems.push("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD_FILE go together");
  }
  if (env.KAFKA_TLS === false && env.KAFKA_TLS_CA_FILE !== undefined) problems.push("KAFKA_TLS_CA_FILE is set but KAFKA_TLS=false");
  return problems;
};

/** Reads the CA and password files named by the environment (once, at start). */
export const loadKafkaSecurity = (
  env: KafkaSecurityEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): KafkaSecurity => {
  const tlsOn = env.KAFKA_TLS ?? env.KAFKA_TLS_CA_FILE !== undefined;
  return {
    ...(tlsOn ? { tls: env.KAFKA_TLS_CA_FILE ? { ca: readFile(env.KAFKA_TLS_CA_FILE) } : {} } : {}),
    ...(env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD_FILE
      ? {
          sasl: {
            mechanism: env.KAFKA_SASL_MECHANISM,
            username: env.KAFKA_SASL_USERNAME,
            password: readFile(env.KAFKA_SASL_PASSWORD_FILE).trim(),
          },
        }
      : {}),
  };
};
