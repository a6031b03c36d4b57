import type { ApiResult } from "./api-client.js";

type Body = Record<string, unknown>;

/** An HTTP answer sorted by what the CLI does about it. */
export type Reply =
  | { readonly kind: "ok"; readonly body: Body; readonly replayed: boolean; readonly lagMs: number | undefined }
  /** The hub decided against the request (404, 409, 422): stored, and replayed for a retry with the same key. */
  | {
      readonly kind: "refused";
      readonly status: number;
      readonly code: string;
      readonly message: string;
      readonly body: Body;
      readonly replayed: boolean;
    }
  /** The same Idempotency-Key is still being processed: retry shortly. */
  | { readonly kind: "busy"; readonly message: string }
  | {
      readonly kind: "unavailable";
      readonly why: "unreachable" | "timeout" | "hub-unavailable";
      readonly message: string;
      readonly url?: string;
    }
  /** This server has no such endpoint (yet). */
  | { readonly kind: "no-route"; readonly message: string }
  /** 401: no token, or one the server does not accept. */
  | { readonly kind: "unauthorized"; readonly message: string }
  /** 403: a valid token whose roles or stores do not allow this. */
  | { readonly kind: "forbidden"; readonly code: string; readonly message: string }
  | { readonly kind: "invalid"; readonly code: string; readonly message: string }
  | { readonly kind: "unexpected"; readonly status: number; readonly message: string; readonly traceId: string | undefined };

const asBody = (value: unknown): Body => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Body) : {});
const text = (value: unknown, fallback: string) => (typeof value === "string" && value !== "" ? value : fallback);

export const classifyReply = (result: ApiResult): Reply => {
  if (result.kind === "network") {
    return { kind: "unavailable", why: result.timedOut ? "timeout" : "unreachable", message: result.message, url: result.url };
  }
  const body = asBody(result.body);
  const code = text(body.code, `HTTP_${result.status}`);
  const message = text(body.message, typeof result.body === "string" && result.body ? result.body.slice(0, 200) : `HTTP ${result.status}`);
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: "ok", body, replayed: result.replayed, lagMs: result.lagMs };
  if (status === 503) return { kind: "unavailable", why: "hub-unavailable", message };
  if (status === 401) return { kind: "unauthorized", message };
  if (status === 403) return { kind: "forbidden", code, message };
  if (status === 404 && /^no route for /.test(message)) return { kind: "no-route", message };
  if (status === 409 && code === "IDEMPOTENCY_KEY_IN_USE") return { kind: "busy", message };
  if (status === 400 || status === 413 || status === 415) return { kind: "invalid", code, message };
  if (status === 404 || status === 409 || status === 422)
    return { kind: "refused", status, code, message, body, replayed: result.replayed };
  return { kind: "unexpected", status, message, traceId: result.traceId };
};
