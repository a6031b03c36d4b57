import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/api-client.js";
import type { ApiError } from "../api/error-message.js";

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly lagMs: number | null;
  /** When the last answer (200 or 304) came. */
  readonly checkedAt: number | undefined;
  readonly refresh: () => void;
}

/**
 * Keeps `path` fresh by asking again every `intervalMs` with the last ETag: an unchanged read costs the hub a 304
 * with no body. A null path polls nothing. Stops while the tab is hidden.
 */
export const usePoll = <T>(api: ApiClient, path: string | null, intervalMs: number): Polled<T> => {
  const [state, setState] = useState<{ data?: T; error?: ApiError; lagMs: number | null; checkedAt?: number }>({ lagMs: null });
  const etag = useRef<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    etag.current = null;
    setState({ lagMs: null });
  }, [path]);
  useEffect(() => {
    if (path === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      if (document.visibilityState !== "hidden") {
        const res = await api.get<T>(path, etag.current);
        if (stopped) return;
        if (res.ok) {
          if (res.status !== 304) etag.current = res.etag;
          setState((s) => ({ data: res.status === 304 ? s.data : (res.body as T), lagMs: res.lagMs, checkedAt: Date.now() }));
        } else {
          setState((s) => ({ ...s, error: res.error }));
        }
      }
      timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, path, intervalMs, tick]);
  return { data: state.data, error: state.error, lagMs: state.lagMs, checkedAt: state.checkedAt, refresh: () => setTick((t) => t + 1) };
};
