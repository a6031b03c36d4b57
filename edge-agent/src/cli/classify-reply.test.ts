import { describe, expect, it } from "vitest";
import type { ApiResult } from "./api-client.js";
import { classifyReply } from "./classify-reply.js";
import { replyFailure } from "./reply-failure.js";

const response = (status: number, body: unknown, extra: Partial<Extract<ApiResult, { kind: "response" }>> = {}): ApiResult => ({
  kind: "response",
  status,
  body,
  replayed: false,
  lagMs: undefined,
  retryAfterSeconds: undefined,
  traceId: "t-1",
  ...extra,
});

describe("classifyReply", () => {
  it("given a 202, then ok, with the replay flag", () => {
    expect(classifyReply(response(202, { onHand: 3 }, { replayed: true }))).toEqual({
      kind: "ok",
      body: { onHand: 3 },
      replayed: true,
      lagMs: undefined,
    });
  });

  it("given no answer, then unavailable: unreachable or timed out", () => {
    expect(classifyReply({ kind: "network", url: "http://a", message: "ECONNREFUSED", timedOut: false })).toMatchObject({
      kind: "unavailable",
      why: "unreachable",
    });
    expect(classifyReply({ kind: "network", url: "http://a", message: "no answer", timedOut: true })).toMatchObject({
      kind: "unavailable",
      why: "timeout",
    });
  });

  it.each([
    [503, { code: "UNAVAILABLE", message: "hub down" }, "unavailable"],
    [401, { code: "UNAUTHORIZED", message: "no" }, "unauthorized"],
    [403, { code: "FORBIDDEN", message: "not allowed at store S2" }, "forbidden"],
    [404, { code: "NOT_FOUND", message: "no route for POST /v1/reconciliations" }, "no-route"],
    [404, { code: "NOT_FOUND", message: "unknown sku ZZ" }, "refused"],
    [409, { code: "INSUFFICIENT_STOCK", message: "short" }, "refused"],
    [409, { code: "IDEMPOTENCY_KEY_IN_USE", message: "in flight" }, "busy"],
    [422, { code: "IDEMPOTENCY_KEY_REUSED", message: "other request" }, "refused"],
    [400, { code: "VALIDATION_ERROR", message: "bad" }, "invalid"],
    [413, { code: "PAYLOAD_TOO_LARGE", message: "big" }, "invalid"],
    [500, { code: "INTERNAL", message: "oops" }, "unexpected"],
    [502, "<html>bad gateway</html>", "unexpected"],
  ])("given %i %j, then %s", (status, body, kind) => {
    expect(classifyReply(response(status, body)).kind).toBe(kind);
  });
});

describe("replyFailure", () => {
  const context = { action: "adjust A1 at S1", retryHint: "Retry later." };

  it("given the hub unreachable behind the agent, then exit kind unavailable, in words, with the retry hint", () => {
    const failure = replyFailure(
      { kind: "unavailable", why: "hub-unavailable", message: "the central hub is unreachable" },
      context,
      "http://a",
    );
    expect(failure).toEqual({
      kind: "unavailable",
      message: "The central hub cannot be reached right now (the store agent says: the central hub is unreachable). Retry later.",
    });
  });

  it("given a refusal, then exit kind refused with the hub's reason and code", () => {
    const reply = classifyReply(response(409, { code: "INSUFFICIENT_STOCK", message: "only 2 available" }));
    if (reply.kind === "ok") throw new Error("unexpected");
    expect(replyFailure(reply, context, "http://a")).toMatchObject({
      kind: "refused",
      message: "Refused: could not adjust A1 at S1: only 2 available (INSUFFICIENT_STOCK)",
    });
  });

  it("given no route, then exit kind failed, saying the server does not have it yet", () => {
    expect(replyFailure({ kind: "no-route", message: "no route for GET /v1/events" }, context, "http://a").message).toMatch(
      /cannot adjust A1 at S1 yet/,
    );
  });

  it("given a refused token, then a usage failure pointing at where the token comes from", () => {
    expect(replyFailure({ kind: "unauthorized", message: "bad token" }, context, "http://a")).toMatchObject({
      kind: "usage",
      message: expect.stringMatching(/INVENTORY_TOKEN/),
    });
  });

  it("given a token not allowed to do it, then a refusal saying so", () => {
    expect(replyFailure({ kind: "forbidden", code: "FORBIDDEN", message: "not allowed at store S2" }, context, "http://a")).toMatchObject({
      kind: "refused",
      message: expect.stringMatching(/^Not allowed: could not adjust A1 at S1: not allowed at store S2 \(FORBIDDEN\)/),
    });
  });

  it("given a server error, then the trace id is in the message", () => {
    expect(replyFailure({ kind: "unexpected", status: 500, message: "oops", traceId: "t-9" }, context, "http://a").message).toMatch(
      /trace id t-9/,
    );
  });
});
