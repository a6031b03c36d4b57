import { describeError, networkError, type ApiError } from "./error-message.js";

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly body: T; readonly etag: string | null; readonly lagMs: number | null }
  /** 304: unchanged since the ETag sent. */
  | { readonly ok: true; readonly status: 304; readonly body: undefined; readonly etag: string | null; readonly lagMs: number | null }
  | { readonly ok: false; readonly error: ApiError };

const TIMEOUT_MS = 10_000;

/** The console's one way to the hub: the token on every call, a timeout, and errors as messages. */
export const createApiClient = (token: () => string | null, onUnauthorized: () => void) => {
  const call = async <T>(method: string, path: string, init: { body?: unknown; etag?: string | null } = {}): Promise<ApiResult<T>> => {
    const headers: Record<string, string> = { Accept: "application/json" };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (init.etag) headers["If-None-Match"] = init.etag;
    if (init.body !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Idempotency-Key"] = crypto.randomUUID();
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        cache: "no-store",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = res.status === 304 ? "" : await res.text();
    } catch (err) {
      return { ok: false, error: networkError(err instanceof Error ? err.message : String(err)) };
    }
    const lag = res.headers.get("X-Projection-Lag-ms");
    const meta = { etag: res.headers.get("ETag"), lagMs: lag !== null && /^\d+$/.test(lag) ? Number(lag) : null };
    if (res.status === 304) return { ok: true, status: 304, body: undefined, ...meta };
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (res.ok) return { ok: true, status: res.status, body: body as T, ...meta };
    if (res.status === 401) onUnauthorized();
    const errorBody = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    return { ok: false, error: describeError(res.status, errorBody, res.headers.get("Retry-After")) };
  };
  return {
    get: <T>(path: string, etag?: string | null) => call<T>("GET", path, { etag }),
    post: <T>(path: string, body: unknown) => call<T>("POST", path, { body }),
  };
};

export type ApiClient = ReturnType<typeof createApiClient>;

/** `?a=1&b=2` from the defined values only. */
export const query = (params: Record<string, string | number | undefined | null>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "") as [string, string | number][];
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : "";
};
