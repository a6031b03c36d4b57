import { AssignerProtocol, type PartitionAssigner } from "kafkajs";
import type { PartitionChoice } from "./message-bus.js";

const NAME = "ChosenPartitionsAssigner";

/**
 * kafkajs cannot be told which partitions to read, but it takes a group's partition assigner: this one gives
 * each member of the group the partitions `choose` names, and nothing else. A replica's group has one live
 * member (its process); a process restarted after a crash may briefly share it with its dead predecessor, and
 * both are given the same partitions, so the live one starts at once instead of waiting out the dead one's
 * session. Positions are the replica file's, never the group's, so the overlap costs nothing.
 */
export const chosenPartitionsAssigner =
  (choose: PartitionChoice): PartitionAssigner =>
  ({ cluster }) => ({
    name: NAME,
    version: 1,
    async assign({ members, topics }) {
      const assignment: Record<string, number[]> = {};
      for (const topic of topics) {
        const count = cluster.findTopicPartitionMetadata(topic).length;
        const chosen = choose(topic, count).filter((p) => p >= 0 && p < count);
        if (chosen.length > 0) assignment[topic] = chosen;
      }
      return members.map(({ memberId }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }) {
      return { name: NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
    },
  });
