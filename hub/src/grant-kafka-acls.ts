#!/usr/bin/env node
/**
 * Grants the Kafka ACLs of the hubs and of each named store's agent (see `@inventory/shared`'s kafka-acls),
 * as an administrator. Creating an ACL that exists changes nothing, so it is safe to run again.
 * `node hub/dist/grant-kafka-acls.js --stores S1,S2 [--prefix <topic prefix>] [--no-hub]`
 * Connection from the environment, as the hub's: KAFKA_BROKERS, KAFKA_TLS_CA_FILE, KAFKA_SASL_USERNAME,
 * KAFKA_SASL_PASSWORD_FILE (an administrator, a super user of the cluster).
 */
import kafkajs, { type AclEntry } from "kafkajs";
import { z } from "zod";
import { createKafka, createLogger, kafkaSecurityEnvSchema, loadKafkaSecurity } from "@inventory/platform";
import { agentKafkaAcls, hubKafkaAcls, storeIdSchema, type KafkaAclGrant } from "@inventory/shared";

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const env = z
  .object({
    KAFKA_BROKERS: z
      .string()
      .default("127.0.0.1:9092")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
  })
  .extend(kafkaSecurityEnvSchema.shape)
  .parse(process.env);
const prefix = option("--prefix") ?? process.env.KAFKA_TOPIC_PREFIX ?? "";
const stores = z.array(storeIdSchema).parse((option("--stores") ?? "").split(",").filter(Boolean));

const grants: KafkaAclGrant[] = [
  ...(args.includes("--no-hub") ? [] : hubKafkaAcls(prefix)),
  ...stores.flatMap((s) => agentKafkaAcls(prefix, s)),
];
const entries: AclEntry[] = grants.flatMap((g) =>
  g.operations.map((operation) => ({
    principal: g.principal,
    host: "*",
    resourceType: AclResourceTypes[g.resourceType],
    resourceName: g.resourceName,
    resourcePatternType: ResourcePatternTypes[g.patternType],
    operation: AclOperationTypes[operation],
    permissionType: AclPermissionTypes.ALLOW,
  })),
);

const log = createLogger({ service: "grant-kafka-acls" }, { level: "warn" });
const admin = createKafka({ brokers: env.KAFKA_BROKERS, clientId: "inventory-acl-admin", security: loadKafkaSecurity(env) }, log).admin();
await admin.connect();
try {
  await admin.createAcls({ acl: entries });
  console.log(
    `granted ${entries.length} ACL entries (hub: ${!args.includes("--no-hub")}, stores: ${stores.join(",") || "none"}, prefix: "${prefix}")`,
  );
} finally {
  await admin.disconnect();
}
