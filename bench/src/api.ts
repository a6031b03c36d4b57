import { randomUUID } from "node:crypto";

export interface ApiReply {
  readonly status: number;
  readonly body: any;
}

/** A minimal client for the project's HTTP API: every write carries the token and a fresh Idempotency-Key. */
export const api = (baseUrl: string, token: string) => ({
  get: async (path: string): Promise<ApiReply> => {
    const res = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
    return { status: res.status, body: await res.json().catch(() => null) };
  },
  post: async (path: string, body: unknown): Promise<ApiReply> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": randomUUID() },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  },
});

export type Api = ReturnType<typeof api>;

/** Fails loudly when the API does not answer as expected: the numbers of a half-seeded system mean nothing. */
export const expectStatus = (reply: ApiReply, expected: number, what: string): ApiReply => {
  if (reply.status !== expected) throw new Error(`${what}: expected ${expected}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
};

/** Runs `task` over `items` with at most `concurrency` in flight. */
export const forEachConcurrently = async <T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
};
