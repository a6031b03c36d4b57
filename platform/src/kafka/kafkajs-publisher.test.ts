import { KafkaJSNonRetriableError, KafkaJSProtocolError } from "kafkajs";
import { describe, expect, it } from "vitest";
import { classifyKafkaError } from "./kafkajs-publisher.js";

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({ message: `broker says ${type}`, type, code: 0, retriable } as never);

describe("classifying a kafkajs send error", () => {
  it("given an error about the message itself, directly or wrapped, when classified, then it is a permanent refusal naming the Kafka error", () => {
    for (const type of ["MESSAGE_TOO_LARGE", "RECORD_LIST_TOO_LARGE", "INVALID_RECORD", "INVALID_TOPIC_EXCEPTION"]) {
      expect(classifyKafkaError(protocolError(type, false))).toMatchObject({ code: "PUBLISH_FAILED", permanent: true });
      const wrapped = Object.assign(new KafkaJSNonRetriableError(new Error("gave up")), { cause: protocolError(type, false) });
      expect(classifyKafkaError(wrapped).message).toMatch(new RegExp(`^${type}:`));
    }
  });

  it("given a broker that is away, an authorisation error or a timeout, when classified, then it is not permanent: the relay waits and retries", () => {
    for (const err of [
      protocolError("NOT_LEADER_FOR_PARTITION", true),
      protocolError("TOPIC_AUTHORIZATION_FAILED", false),
      new Error("Request Produce(key: 0, version: 7) timed out"),
    ]) {
      expect(classifyKafkaError(err)).toMatchObject({ code: "PUBLISH_FAILED", permanent: false });
    }
  });
});
