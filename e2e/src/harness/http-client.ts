import { randomUUID } from "node:crypto";

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  readonly ms: number;
}

export interface WriteOptions {
  readonly key?: string | null;
  readonly token?: string | null;
  readonly ifMatch?: string;
  readonly traceId?: string;
  readonly rawBody?: string;
  readonly contentType?: string;
}

export const DEV_TOKEN = "devtoken";

/** A small client for the inventory API, as a till or the web shop would call it. */
export const apiClient = (baseUrl: string) => {
  const request = async (
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<ApiResponse> => {
    const started = performance.now();
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body, headers: res.headers, ms: performance.now() - started };
  };
  return {
    get: (path: string, headers: Record<string, string> = {}) => request("GET", path, { headers }),
    post: (path: string, body: unknown, options: WriteOptions = {}) => {
      const headers: Record<string, string> = { "Content-Type": options.contentType ?? "application/json" };
      const token = options.token === undefined ? DEV_TOKEN : options.token;
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      const key = options.key === undefined ? randomUUID() : options.key;
      if (key !== null) headers["Idempotency-Key"] = key;
      if (options.ifMatch !== undefined) headers["If-Match"] = options.ifMatch;
      if (options.traceId !== undefined) headers["X-Trace-Id"] = options.traceId;
      return request("POST", path, { headers, body: options.rawBody ?? JSON.stringify(body) });
    },
  };
};

export type ApiClient = ReturnType<typeof apiClient>;
