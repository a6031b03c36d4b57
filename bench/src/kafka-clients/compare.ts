import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { spread } from "../stats.js";
import type { KafkaClient } from "./client.js";
import { measureConsume, type ConsumeFigures } from "./consume-throughput.js";
import { measureLatency, type LatencyFigures } from "./commit-to-consume-latency.js";
import { stockEventMessage } from "./event-messages.js";
import { kafkajsClient } from "./kafkajs-client.js";
import { checkPartitioners } from "./partitioner-check.js";
import { platformaticClient } from "./platformatic-client.js";
import { measureProduce, type ProduceFigures } from "./produce-throughput.js";
import { markdownTable, type ClientFigures, type TableSettings } from "./report.js";
import { benchTopics } from "./topics.js";

/**
 * Compares the Kafka clients on the product's two Kafka roles, against the broker in BENCH_KAFKA_BROKERS:
 * the relay's producer (throughput) and a replica's consumer (throughput from offset zero, and the time from
 * a send to the message reaching a consumer that is already in its group). Each figure is the median of
 * BENCH_KAFKA_CLIENTS_RUNS runs; the clients take turns going first. Writes bench/results/kafka-clients.json.
 */

const positive = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
};

const brokersEnv = process.env.BENCH_KAFKA_BROKERS;
if (!brokersEnv)
  throw new Error("BENCH_KAFKA_BROKERS is not set (host:port,...); deploy/bench-kafka-clients.sh starts a broker and sets it");
const brokers = brokersEnv
  .split(",")
  .map((b) => b.trim())
  .filter(Boolean);
const repoRoot = process.env.BENCH_REPO_ROOT ?? process.cwd();
const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
const settings: TableSettings = {
  messages: positive("BENCH_KAFKA_CLIENTS_MESSAGES", quick ? 20_000 : 200_000),
  batchSize: positive("BENCH_KAFKA_CLIENTS_BATCH", 500),
  partitions: positive("BENCH_KAFKA_CLIENTS_PARTITIONS", 6),
  runs: positive("BENCH_KAFKA_CLIENTS_RUNS", quick ? 1 : 3),
  latencyRatePerSecond: positive("BENCH_KAFKA_CLIENTS_LATENCY_RATE", 200),
  latencyDurationS: positive("BENCH_KAFKA_CLIENTS_LATENCY_S", quick ? 3 : 10),
};
const resultPath = resolve(repoRoot, process.env.BENCH_KAFKA_CLIENTS_RESULT ?? "bench/results/kafka-clients.json");

interface RunFigures {
  readonly run: number;
  readonly produce: ProduceFigures;
  readonly consume: ConsumeFigures;
  readonly latency: Omit<LatencyFigures, "keyPartitions">;
}

const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");

const kafkaVersion = () => {
  const jar = readdirSync(resolve(repoRoot, "deploy/kafka/libs")).find((f) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(f));
  return jar?.replace(/^kafka_[\d.]+-([\d.]+)\.jar$/, "$1") ?? "unknown";
};

const main = async () => {
  const clients: KafkaClient[] = [kafkajsClient(brokers), platformaticClient(brokers)];
  const tag = randomUUID().slice(0, 8);
  const messages = Array.from({ length: settings.messages }, (_, seq) => stockEventMessage(tag, seq));
  const expectedBytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.value), 0);
  const runs = new Map<string, RunFigures[]>(clients.map((c) => [c.name, []]));
  const keyPartitions = new Map<string, ReadonlyMap<string, number>>();
  const topics = await benchTopics(brokers, settings.partitions);
  try {
    // An untimed round first, so that neither client pays for a cold broker (group coordinator loading) or a cold JIT.
    for (const client of clients) {
      const topic = `bench-kafka-clients.${tag}.warm-up.${slug(client.name)}`;
      const warmUp = messages.slice(0, Math.min(messages.length, 5000));
      await topics.create(topic);
      await measureProduce(client, topic, warmUp, settings.batchSize);
      await measureConsume(client, topic, warmUp.length, 60_000);
      await topics.remove(topic);
    }
    for (let run = 0; run < settings.runs; run++) {
      const order = run % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) {
        const topic = `bench-kafka-clients.${tag}.${run}.${slug(client.name)}`;
        await topics.create(topic);
        const produce = await measureProduce(client, topic, messages, settings.batchSize);
        log(`${client.name} run ${run + 1}: produced ${Math.round(produce.messagesPerSecond)} msg/s`);
        const consume = await measureConsume(client, topic, settings.messages, 180_000);
        if (consume.bytes !== expectedBytes) throw new Error(`${client.name}: consumed ${consume.bytes} bytes, published ${expectedBytes}`);
        log(`${client.name} run ${run + 1}: consumed ${Math.round(consume.messagesPerSecond)} msg/s`);
        await topics.remove(topic);

        const latencyTopic = `${topic}.latency`;
        await topics.create(latencyTopic);
        const { keyPartitions: placed, ...latency } = await measureLatency(
          client,
          latencyTopic,
          settings.latencyRatePerSecond,
          settings.latencyDurationS,
        );
        if (!keyPartitions.has(client.name)) keyPartitions.set(client.name, placed);
        log(
          `${client.name} run ${run + 1}: ack → consumed p50 ${latency.ackToSeenP50Ms.toFixed(1)} ms, p99 ${latency.ackToSeenP99Ms.toFixed(1)} ms, ${latency.seen}/${latency.sent} seen`,
        );
        await topics.remove(latencyTopic);
        runs.get(client.name)!.push({ run, produce, consume, latency });
      }
    }
  } finally {
    await topics.close();
  }

  const figures: ClientFigures[] = clients.map((c) => {
    const r = runs.get(c.name)!;
    const of = (pick: (f: RunFigures) => number) => spread(r.map(pick));
    return {
      name: c.name,
      version: c.version,
      produceMessagesPerSecond: of((f) => f.produce.messagesPerSecond),
      produceCpuUsPerMessage: of((f) => f.produce.cpuUsPerMessage),
      consumeMessagesPerSecond: of((f) => f.consume.messagesPerSecond),
      consumeMessagesPerSecondWithStart: of((f) => f.consume.messagesPerSecondWithStart),
      consumeStartToFirstMessageMs: of((f) => f.consume.startToFirstMessageMs),
      consumeCpuUsPerMessage: of((f) => f.consume.cpuUsPerMessage),
      ackToSeenP50Ms: of((f) => f.latency.ackToSeenP50Ms),
      ackToSeenP99Ms: of((f) => f.latency.ackToSeenP99Ms),
      sendToSeenP50Ms: of((f) => f.latency.sendToSeenP50Ms),
      sendToSeenP99Ms: of((f) => f.latency.sendToSeenP99Ms),
      sendP50Ms: of((f) => f.latency.sendP50Ms),
      sendP99Ms: of((f) => f.latency.sendP99Ms),
    };
  });

  const [first, second] = clients.map((c) => keyPartitions.get(c.name) ?? new Map<string, number>());
  const sharedKeys = [...first!.keys()].filter((k) => second!.has(k));
  const partitionPlacement = {
    ...checkPartitioners([...new Set(messages.map((m) => m.key))], settings.partitions),
    observedKeys: sharedKeys.length,
    observedOnDifferentPartitions: sharedKeys.filter((k) => first!.get(k) !== second!.get(k)).length,
  };

  const table = markdownTable(figures, settings);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      kernel: release(),
      node: process.version,
      kafka: kafkaVersion(),
    },
    settings: { ...settings, valueBytesAverage: Math.round(expectedBytes / settings.messages), brokers },
    clients: figures,
    runs: Object.fromEntries(runs),
    partitionPlacement,
    table,
  };
  mkdirSync(dirname(resultPath), { recursive: true });
  writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${table}\n\nPartition placement: ${JSON.stringify(partitionPlacement)}\nWritten to ${resultPath}\n`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
