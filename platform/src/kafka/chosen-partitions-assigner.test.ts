import { describe, expect, it } from "vitest";
import { AssignerProtocol } from "kafkajs";
import { chosenPartitionsAssigner } from "./chosen-partitions-assigner.js";

const cluster = (counts: Record<string, number>) =>
  ({
    findTopicPartitionMetadata: (topic: string) => Array.from({ length: counts[topic] ?? 0 }, (_, partitionId) => ({ partitionId })),
  }) as never;

const assign = async (members: string[], topics: string[]) => {
  const assigner = chosenPartitionsAssigner((topic, count) => (topic === "stock" ? [4] : Array.from({ length: count }, (_, p) => p)))({
    cluster: cluster({ stock: 6, view: 3 }),
  } as never);
  const result = await assigner.assign({ members: members.map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) })), topics });
  return result.map((r) => ({
    memberId: r.memberId,
    assignment: AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment,
  }));
};

describe("the chosen-partitions assigner", () => {
  it("gives the member only the chosen partitions of each topic", async () => {
    expect(await assign(["m1"], ["stock", "view"])).toEqual([{ memberId: "m1", assignment: { stock: [4], view: [0, 1, 2] } }]);
  });

  it("given a crashed predecessor still in the group, then both members get the same partitions, so the live one need not wait", async () => {
    const result = await assign(["dead", "live"], ["stock"]);
    expect(result.map((r) => r.assignment)).toEqual([{ stock: [4] }, { stock: [4] }]);
  });

  it("leaves out a partition the topic does not have", async () => {
    const assigner = chosenPartitionsAssigner(() => [0, 9])({ cluster: cluster({ small: 2 }) } as never);
    const [one] = await assigner.assign({ members: [{ memberId: "m", memberMetadata: Buffer.alloc(0) }], topics: ["small"] });
    expect(AssignerProtocol.MemberAssignment.decode(one!.memberAssignment)!.assignment).toEqual({ small: [0] });
  });
});
