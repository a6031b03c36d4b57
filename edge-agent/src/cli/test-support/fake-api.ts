import type { ApiClient, ApiResult } from "../api-client.js";

/** An in-memory ApiClient for tests: answers POSTs in order and records what was sent. */
export const fakeApi = (answers: ApiResult[]) => {
  const posts: { path: string; body: unknown; idempotencyKey: string }[] = [];
  const api: ApiClient = {
    baseUrl: "http://agent.test",
    get: async () => {
      throw new Error("fakeApi answers POSTs only");
    },
    post: async (path, body, options) => {
      posts.push({ path, body, idempotencyKey: options.idempotencyKey });
      const answer = answers.shift();
      if (!answer) throw new Error(`fakeApi: no answer left for POST ${path}`);
      return answer;
    },
  };
  return { api, posts };
};

export const answer = (status: number, body: unknown, replayed = false): ApiResult => ({
  kind: "response",
  status,
  body,
  replayed,
  lagMs: undefined,
  retryAfterSeconds: undefined,
  traceId: "t",
});

export const noAnswer: ApiResult = { kind: "network", url: "http://agent.test", message: "ECONNREFUSED", timedOut: false };
