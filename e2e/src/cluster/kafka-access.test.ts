import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Kafka, logLevel, type Consumer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTopics } from "@inventory/platform";
import { agentConsumerGroupPrefix } from "@inventory/shared";
import { eventually } from "../harness/infra.js";
import { cluster } from "./cluster-infra.js";

const prefix = `acl${randomBytes(3).toString("hex")}.`;
const stock = `${prefix}stock.events`;
const toClose: { disconnect(): Promise<void> }[] = [];

beforeAll(async () => {
  await cluster.grantAcls(prefix, ["S1", "S2"]);
  const topics = ["stock.events", "reservation.events", "transfer.events"].flatMap((t) => [`${prefix}${t}`, `${prefix}${t}.dlt`]);
  // A topic just created may not be known to every broker yet: ask again, as the hub's relay does.
  await eventually(
    () =>
      ensureTopics(
        cluster.kafkaAs("hub"),
        topics.map((topic) => ({ topic, partitions: 3 })),
        3,
      ),
    30_000,
    500,
  );
});
afterAll(async () => {
  for (const c of toClose) await c.disconnect().catch(() => undefined);
});

/** A client that gives up at the first refusal instead of retrying for a minute. */
const bareClient = (config: Omit<ConstructorParameters<typeof Kafka>[0], "brokers">) =>
  new Kafka({
    brokers: cluster.brokers().split(","),
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logCreator: () => () => undefined,
    ...config,
  });

const listTopicsWith = async (kafka: Kafka) => {
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

const produceAs = async (user: string, topic: string) => {
  const producer = cluster
    .kafkaAs(user)
    .producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 1 } });
  await producer.connect();
  try {
    return await producer.send({ topic, acks: -1, timeout: 10_000, messages: [{ key: "S1:A1", value: JSON.stringify({ by: user }) }] });
  } finally {
    await producer.disconnect();
  }
};

/** Joins `groupId` as `user` and reads `topic` from the start: the first message, or the error that stopped the consumer. */
const consumeAs = (user: string, groupId: string, topic: string): Promise<{ value?: string; error?: string }> =>
  new Promise((resolve) => {
    const consumer: Consumer = cluster.kafkaAs(user).consumer({ groupId, maxWaitTimeInMs: 200, retry: { retries: 8 } });
    toClose.push(consumer);
    const timer = setTimeout(() => resolve({ error: "timed out" }), 30_000);
    const finish = (outcome: { value?: string; error?: string }) => {
      clearTimeout(timer);
      void consumer.disconnect().catch(() => undefined);
      resolve(outcome);
    };
    consumer.on(consumer.events.CRASH, (e) => finish({ error: `${e.payload.error?.name}: ${e.payload.error?.message}` }));
    void (async () => {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => finish({ value: message.value?.toString() ?? "" }) });
    })().catch((err: Error) => finish({ error: `${err.name}: ${err.message}` }));
  });

describe("who gets into the cluster", () => {
  it("given a plaintext client, when it connects to a client listener, then it is refused", async () => {
    await expect(listTopicsWith(bareClient({ clientId: "plaintext" }))).rejects.toThrow();
  });

  it("given a TLS client without SASL credentials, when it asks for metadata, then it is refused", async () => {
    await expect(
      listTopicsWith(bareClient({ clientId: "anonymous", ssl: { ca: [readFileSync(cluster.caFile(), "utf8")] } })),
    ).rejects.toThrow();
  });

  it("given a wrong password for a real user, when it authenticates, then SASL fails", async () => {
    const kafka = bareClient({
      clientId: "wrong-password",
      ssl: { ca: [readFileSync(cluster.caFile(), "utf8")] },
      sasl: { mechanism: "scram-sha-512", username: "hub", password: "not-the-password" },
    });
    await expect(listTopicsWith(kafka)).rejects.toThrow(/SASL|authentication/i);
  });

  it("given a client that does not trust the cluster's CA, when it connects, then the TLS handshake fails", async () => {
    const kafka = bareClient({
      clientId: "no-ca",
      ssl: true,
      sasl: { mechanism: "scram-sha-512", username: "hub", password: readFileSync(cluster.passwordFile("hub"), "utf8").trim() },
    });
    await expect(listTopicsWith(kafka)).rejects.toThrow();
  });

  it("given the hub's credentials, when it creates topics, then they have 3 replicas each and min.insync.replicas=2", async () => {
    const admin = cluster.kafkaAs("hub").admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [stock] });
      expect(meta.topics[0]!.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
      const configs = await admin.describeConfigs({
        resources: [{ type: 2, name: stock, configNames: ["min.insync.replicas"] }],
        includeSynonyms: false,
      });
      expect(configs.resources[0]!.configEntries.find((e) => e.configName === "min.insync.replicas")?.configValue).toBe("2");
    } finally {
      await admin.disconnect();
    }
  });
});

describe("what a store agent may do", () => {
  it("given the hub's credentials, when it publishes to stock.events, then the brokers acknowledge it", async () => {
    const [ack] = await produceAs("hub", stock);
    expect(ack!.errorCode).toBe(0);
  });

  it("given store S1's agent credentials, when it publishes to stock.events, then it is not authorised; to its dead-letter topic it may", async () => {
    await expect(produceAs("agent-S1", stock)).rejects.toThrow(/authori[sz]/i);
    const [ack] = await produceAs("agent-S1", `${stock}.dlt`);
    expect(ack!.errorCode).toBe(0);
  });

  it("given store S1's agent credentials, when it reads stock.events in a group of its own, then it gets the hub's event", async () => {
    const outcome = await consumeAs("agent-S1", `${agentConsumerGroupPrefix("S1")}e2e-${randomBytes(3).toString("hex")}`, stock);
    expect(outcome).toEqual({ value: JSON.stringify({ by: "hub" }) });
  });

  it("given store S1's agent credentials, when it joins store S2's consumer group, then every broker refuses the group", async () => {
    // kafkajs reports only "coordinator not found" once every broker has refused; its debug log has why.
    const refusals: string[] = [];
    const kafka = bareClient({
      clientId: "agent-S1-snooping",
      ssl: { ca: [readFileSync(cluster.caFile(), "utf8")] },
      sasl: { mechanism: "scram-sha-512", username: "agent-S1", password: readFileSync(cluster.passwordFile("agent-S1"), "utf8").trim() },
      logLevel: logLevel.DEBUG,
      logCreator:
        () =>
        ({ log }) => {
          const type = (log.error as { type?: string } | undefined)?.type;
          if (log.message === "Tried to find group coordinator" && type) refusals.push(type);
        },
    });
    const consumer = kafka.consumer({ groupId: `${agentConsumerGroupPrefix("S2")}e2e`, retry: { retries: 0 } });
    toClose.push(consumer);
    const crashed = new Promise<string>((resolve) => consumer.on(consumer.events.CRASH, (e) => resolve(String(e.payload.error?.message))));
    await consumer.connect();
    await consumer.subscribe({ topic: stock, fromBeginning: true });
    const started = consumer.run({ eachMessage: async () => undefined }).then(
      () => "running",
      (err: Error) => err.message,
    );
    const reason = await Promise.race([crashed, started.then(async (r) => (r === "running" ? crashed : r))]);
    expect(reason).toMatch(/coordinator/i);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set(["GROUP_AUTHORIZATION_FAILED"]));
  });

  it("given store S1's agent credentials, when it tries to create a topic, then it is not authorised", async () => {
    const error = await ensureTopics(cluster.kafkaAs("agent-S1"), [{ topic: `${prefix}intruder`, partitions: 1 }], 3).then(
      () => undefined,
      (err: { errors?: { type?: string }[] }) => err,
    );
    expect(error?.errors?.map((e) => e.type)).toEqual(["TOPIC_AUTHORIZATION_FAILED"]);
  });
});
