import type { Spread } from "../stats.js";

/** The figures of one client, each the median of the runs with their spread. */
export interface ClientFigures {
  readonly name: string;
  readonly version: string;
  readonly produceMessagesPerSecond: Spread;
  readonly produceCpuUsPerMessage: Spread;
  readonly consumeMessagesPerSecond: Spread;
  readonly consumeMessagesPerSecondWithStart: Spread;
  readonly consumeStartToFirstMessageMs: Spread;
  readonly consumeCpuUsPerMessage: Spread;
  readonly ackToSeenP50Ms: Spread;
  readonly ackToSeenP99Ms: Spread;
  readonly sendToSeenP50Ms: Spread;
  readonly sendToSeenP99Ms: Spread;
  readonly sendP50Ms: Spread;
  readonly sendP99Ms: Spread;
}

export interface TableSettings {
  readonly messages: number;
  readonly batchSize: number;
  readonly partitions: number;
  readonly runs: number;
  readonly latencyRatePerSecond: number;
  readonly latencyDurationS: number;
}

const whole = (s: Spread) =>
  `${Math.round(s.median).toLocaleString("en-US")} (${Math.round(s.min).toLocaleString("en-US")}–${Math.round(s.max).toLocaleString("en-US")})`;
const ms = (s: Spread) => s.median.toFixed(1);
const pair = (a: Spread, b: Spread) => `${ms(a)} / ${ms(b)}`;

/** A markdown table, one column per client: medians, with min–max for the throughputs. */
export const markdownTable = (clients: readonly ClientFigures[], settings: TableSettings): string => {
  const rows: [string, (c: ClientFigures) => string][] = [
    [
      `produce, msg/s (${settings.messages.toLocaleString("en-US")} msgs, batches of ${settings.batchSize})`,
      (c) => whole(c.produceMessagesPerSecond),
    ],
    ["producer CPU, µs/msg", (c) => c.produceCpuUsPerMessage.median.toFixed(1)],
    ["consume from offset 0, msg/s (fresh group)", (c) => whole(c.consumeMessagesPerSecond)],
    ["consumer start → first message, ms", (c) => Math.round(c.consumeStartToFirstMessageMs.median).toString()],
    ["consumer CPU, µs/msg", (c) => c.consumeCpuUsPerMessage.median.toFixed(1)],
    [
      `ack → consumed, p50 / p99 ms (${settings.latencyRatePerSecond} msg/s, ${settings.latencyDurationS} s)`,
      (c) => pair(c.ackToSeenP50Ms, c.ackToSeenP99Ms),
    ],
    ["send start → consumed, p50 / p99 ms", (c) => pair(c.sendToSeenP50Ms, c.sendToSeenP99Ms)],
    ["send (one message, acks=all), p50 / p99 ms", (c) => pair(c.sendP50Ms, c.sendP99Ms)],
  ];
  const header = `| median of ${settings.runs}, ${settings.partitions} partitions | ${clients.map((c) => `${c.name} ${c.version}`).join(" | ")} |`;
  const rule = `|---|${clients.map(() => "---:").join("|")}|`;
  return [header, rule, ...rows.map(([label, cell]) => `| ${label} | ${clients.map(cell).join(" | ")} |`)].join("\n");
};
