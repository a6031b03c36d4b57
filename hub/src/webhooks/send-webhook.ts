import http from "node:http";
import https from "node:https";
import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { resolveTarget, type ResolveHost } from "./resolve-target.js";
import type { TargetPolicy } from "./target-address.js";

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What one attempt came to: delivered on a 2xx, anything else (another status, an error, a timeout) is retried. */
export interface AttemptResult {
  readonly delivered: boolean;
  readonly status: number | null;
  readonly error: string | null;
  /** Cut short by the caller's signal, not by the receiver. */
  readonly stopped?: boolean;
}

export interface SendOptions {
  readonly policy: TargetPolicy;
  readonly resolveHost: ResolveHost;
  /** The whole attempt, name resolution included. */
  readonly timeoutMs: number;
  /** Ends the attempt early (the hub is stopping): it then fails with `stopped: true`. */
  readonly signal?: AbortSignal;
}

/** A lookup that answers only the addresses already checked, so the connection goes where the check looked. */
const pinnedLookup =
  (addresses: LookupAddress[]): LookupFunction =>
  (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };

/**
 * POSTs one delivery. The target's name is resolved and every address checked against the policy before
 * connecting, and the connection is pinned to those addresses (a name re-pointed between check and connect
 * cannot redirect it); redirects are not followed. The answer counts once its status line is in: the body is
 * not read.
 */
export const sendWebhook = async (request: WebhookRequest, options: SendOptions): Promise<AttemptResult> => {
  const started = Date.now();
  const url = new URL(request.url);
  const target = await resolveTarget(url.hostname, options.policy, options.resolveHost, options.timeoutMs);
  if (target.kind === "refused") return { delivered: false, status: null, error: `refused: ${target.reason}` };
  const remainingMs = Math.max(options.timeoutMs - (Date.now() - started), 1);
  const client = url.protocol === "https:" ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)), "user-agent": "inventory-webhooks/1" },
        lookup: pinnedLookup(target.addresses),
        agent: false,
        signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(remainingMs)]) : AbortSignal.timeout(remainingMs),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.destroy();
        const delivered = status >= 200 && status < 300;
        resolve({ delivered, status, error: delivered ? null : `answered HTTP ${status}` });
      },
    );
    req.on("error", (err) => {
      if (options.signal?.aborted) {
        resolve({ delivered: false, status: null, error: "the hub stopped during the attempt", stopped: true });
        return;
      }
      const timedOut = err.name === "AbortError" || err.name === "TimeoutError";
      const code = (err as { code?: unknown }).code;
      resolve({
        delivered: false,
        status: null,
        error: timedOut
          ? `no answer within ${options.timeoutMs} ms`
          : `${typeof code === "string" ? `${code}: ` : ""}${err.message}`.slice(0, 500),
      });
    });
    req.end(request.body);
  });
};
