import { describe, expect, it } from "vitest";
import { agentConsumerGroupPrefix, agentKafkaAcls, hubKafkaAcls } from "./kafka-acls.js";

describe("Kafka ACLs per identity", () => {
  it("given store S1, when its grants are made, then it may read the event topics, write only their dead letters and join only its own groups", () => {
    const grants = agentKafkaAcls("p.", "S1");
    expect(grants.every((g) => g.principal === "User:agent-S1")).toBe(true);
    const on = (name: string) => grants.filter((g) => g.resourceName === name).flatMap((g) => g.operations);
    expect(on("p.stock.events")).toEqual(["READ", "DESCRIBE"]);
    expect(on("p.stock.events.dlt")).toEqual(["WRITE", "DESCRIBE"]);
    expect(grants.some((g) => g.operations.includes("ALL") || g.operations.includes("CREATE") || g.resourceType === "CLUSTER")).toBe(false);
    expect(grants.filter((g) => g.resourceType === "GROUP")).toEqual([
      {
        principal: "User:agent-S1",
        resourceType: "GROUP",
        resourceName: "inventory-replica.agent-S1.",
        patternType: "PREFIXED",
        operations: ["READ", "DESCRIBE"],
      },
      {
        principal: "User:agent-S1",
        resourceType: "GROUP",
        resourceName: "inventory-stream.agent-S1.",
        patternType: "PREFIXED",
        operations: ["READ", "DESCRIBE"],
      },
    ]);
    expect(on("p.availability.latest")).toEqual(["READ", "DESCRIBE"]);
  });

  it("given stores S1 and S10, when their group prefixes are compared, then neither covers the other's groups", () => {
    expect(`${agentConsumerGroupPrefix("S10")}abc`.startsWith(agentConsumerGroupPrefix("S1"))).toBe(false);
  });

  it("given a topic prefix, when the hub's grants are made, then they cover its topics, its groups and idempotent writes", () => {
    const grants = hubKafkaAcls("t1.");
    expect(grants.filter((g) => g.resourceType === "TOPIC").map((g) => g.resourceName)).toEqual([
      "t1.stock.events",
      "t1.reservation.events",
      "t1.transfer.events",
      "t1.stock.events.dlt",
      "t1.reservation.events.dlt",
      "t1.transfer.events.dlt",
      "t1.availability.latest",
    ]);
    expect(grants.filter((g) => g.resourceType === "GROUP").map((g) => g.resourceName)).toEqual(["inventory-", "t1.inventory-"]);
    expect(hubKafkaAcls("").filter((g) => g.resourceType === "GROUP")).toHaveLength(1);
  });
});
