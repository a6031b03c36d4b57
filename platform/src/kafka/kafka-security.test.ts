import { describe, expect, it } from "vitest";
import { kafkaSecurityEnvSchema, kafkaSecurityProblems, loadKafkaSecurity } from "./kafka-security.js";

const files: Record<string, string> = { "/ca.pem": "CA PEM", "/hub.password": "s3cret\n" };
const read = (path: string) => {
  const content = files[path];
  if (content === undefined) throw new Error(`ENOENT ${path}`);
  return content;
};
const load = (env: Record<string, string>) => loadKafkaSecurity(kafkaSecurityEnvSchema.parse(env), read);

describe("Kafka connection security from the environment", () => {
  it("given nothing set, when loaded, then the connection is plaintext and anonymous", () => {
    expect(load({})).toEqual({});
  });

  it("given a CA file and a SCRAM user, when loaded, then TLS trusts that CA and SASL uses the trimmed password", () => {
    expect(load({ KAFKA_TLS_CA_FILE: "/ca.pem", KAFKA_SASL_USERNAME: "hub", KAFKA_SASL_PASSWORD_FILE: "/hub.password" })).toEqual({
      tls: { ca: "CA PEM" },
      sasl: { mechanism: "scram-sha-512", username: "hub", password: "s3cret" },
    });
  });

  it("given KAFKA_TLS=true without a CA file, when loaded, then TLS uses the system's CAs", () => {
    expect(load({ KAFKA_TLS: "true" })).toEqual({ tls: {} });
  });

  it("given a user without a password file, or a CA with TLS off, when checked, then each problem is named", () => {
    expect(kafkaSecurityProblems(kafkaSecurityEnvSchema.parse({ KAFKA_SASL_USERNAME: "hub" }))).toEqual([
      "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD_FILE go together",
    ]);
    expect(kafkaSecurityProblems(kafkaSecurityEnvSchema.parse({ KAFKA_TLS: "false", KAFKA_TLS_CA_FILE: "/ca.pem" }))).toHaveLength(1);
    expect(() => kafkaSecurityEnvSchema.parse({ KAFKA_SASL_MECHANISM: "gssapi" })).toThrow();
  });

  it("given a password file that does not exist, when loaded, then it fails at start naming the file", () => {
    expect(() => load({ KAFKA_SASL_USERNAME: "hub", KAFKA_SASL_PASSWORD_FILE: "/missing" })).toThrow(/missing/);
  });
});
