/** What came back from one HTTP call, headers already read: an answer, or no answer at all. */
export type ApiResult =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly body: unknown;
      /** Idempotent-Replayed: the hub answered with the stored answer of an earlier identical request. */
      readonly replayed: boolean;
      /** X-Projection-Lag-ms of a read: how far behind the replica may be. */
      readonly lagMs: number | undefined;
      readonly retryAfterSeconds: number | undefined;
      readonly traceId: string | undefined;
    }
  | { readonly kind: "network"; readonly url: string; readonly message: string; readonly timedOut: boolean };

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

export interface WriteOptions {
  readonly idempotencyKey: string;
  /** Sent as If-Match `"<version>"`. */
  readonly ifVersion?: number;
}

export interface ApiClient {
  readonly baseUrl: string;
  get(path: string, query?: Record<string, string | number | undefined>): Promise<ApiResult>;
  post(path: string, body: unknown, options: WriteOptions): Promise<ApiResult>;
}

const numberHeader = (value: string | null) => (value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined);

const networkMessage = (err: unknown): string => {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
};

/** The CLI's HTTP client: every call has a timeout, and a failure to connect is a value, not an exception. */
export const createApiClient = (options: ApiClientOptions): ApiClient => {
  const doFetch = options.fetch ?? fetch;
  // Sent on reads too: a deployment may require a token for reads, and the store agent passes it along unchanged.
  const auth: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  const call = async (method: string, path: string, headers: Record<string, string>, body?: string): Promise<ApiResult> => {
    const url = `${options.baseUrl}${path}`;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method,
        headers: { Accept: "application/json", ...auth, ...headers },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      return {
        kind: "network",
        url: options.baseUrl,
        message: timedOut ? `no answer within ${options.timeoutMs} ms` : networkMessage(err),
        timedOut,
      };
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text for the message */
    }
    return {
      kind: "response",
      status: res.status,
      body: parsed,
      replayed: res.headers.get("idempotent-replayed") === "true",
      lagMs: numberHeader(res.headers.get("x-projection-lag-ms")),
      retryAfterSeconds: numberHeader(res.headers.get("retry-after")),
      traceId: res.headers.get("x-trace-id") ?? undefined,
    };
  };
  return {
    baseUrl: options.baseUrl,
    get: (path, query = {}) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
      const qs = params.toString();
      return call("GET", qs ? `${path}?${qs}` : path, {});
    },
    post: (path, body, write) => {
      const headers: Record<string, string> = { "Content-Type": "application/json", "Idempotency-Key": write.idempotencyKey };
      if (write.ifVersion !== undefined) headers["If-Match"] = `"${write.ifVersion}"`;
      return call("POST", path, headers, JSON.stringify(body));
    },
  };
};
