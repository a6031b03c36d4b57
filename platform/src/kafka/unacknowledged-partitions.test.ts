import { describe, expect, it } from "vitest";
import { expectedPartitions, unacknowledgedPartitions } from "./unacknowledged-partitions.js";

describe("checking that every partition of a send was acknowledged", () => {
  const messages = ["S1:A1", "S2:A1", "S3:B2", "S1:C3", "S2:D4", "S3:E5"].map((key) => ({ topic: "stock.events", key }));

  it("given keyed messages, when their places are worked out, then they are the partitions kafkajs puts them on, and stable", () => {
    const places = expectedPartitions(messages, () => 3);
    expect([...places].every((p) => /^stock\.events:[012]$/.test(p))).toBe(true);
    expect(places.size).toBeGreaterThan(1);
    expect(expectedPartitions(messages, () => 3)).toEqual(places);
  });

  it("given an answer that covers every place, when checked, then nothing is missing", () => {
    const places = expectedPartitions(messages, () => 3);
    const acks = [...places].map((p) => ({ topicName: "stock.events", partition: Number(p.split(":")[1]), errorCode: 0 }));
    expect(unacknowledgedPartitions(places, acks)).toEqual([]);
  });

  it("given an answer without one partition, or with an error for one, when checked, then that partition is named", () => {
    const places = new Set(["stock.events:0", "stock.events:1", "stock.events:2"]);
    expect(
      unacknowledgedPartitions(places, [
        { topicName: "stock.events", partition: 0, errorCode: 0 },
        { topicName: "stock.events", partition: 1, errorCode: 0 },
      ]),
    ).toEqual(["stock.events:2"]);
    expect(
      unacknowledgedPartitions(
        places,
        [0, 1, 2].map((partition) => ({ topicName: "stock.events", partition, errorCode: partition === 1 ? 19 : 0 })),
      ),
    ).toEqual(["stock.events:1"]);
  });
});
