import type { Context } from "hono";
import type { z } from "zod";
import { authorize, failure, idempotencyKeySchema, isFailure, type Action, type Failure, type Principal } from "@inventory/shared";
import {
  failureResponse,
  parseJsonBody,
  recordOutcome,
  TRACE_HEADER,
  TRACE_ID_PATTERN,
  type AuthVariables,
  type OutcomeVariables,
  type TraceVariables,
} from "@inventory/platform";
import type { Command } from "./command.js";
import type { CommandExecutor } from "./execute-command.js";
import { requestFingerprint } from "./fingerprint.js";

/** The Hono environment of a hub request: its trace, its caller, and what the command answered (for /metrics). */
export type HubRequestEnv = { Variables: TraceVariables & AuthVariables & OutcomeVariables };

const IF_MATCH_PATTERN = /^(?:W\/)?"?(\d{1,9})"?$/;

export interface CommandInput<T> {
  readonly body: T;
  /** The version named by If-Match, when the caller sent one. */
  readonly expectedVersion: number | undefined;
  readonly principal: Principal;
}

/** What the caller must be allowed to do, at which store when the body names one, and what the command contends on. */
export interface CommandRoute<T> {
  readonly action: Action;
  readonly store?: (body: T) => string | undefined;
  /** The SKU whose rows the command locks, when it is one: such commands share transactions (group commit). */
  readonly batchKey?: (body: T) => string | undefined;
  /** A check that needs I/O outside the transaction (resolving a host name); its failure is answered, not stored. */
  readonly precheck?: (body: T) => Promise<Failure | undefined>;
}

/** A command's batch key when all its lines name one SKU; commands over several SKUs run alone. */
export const singleSku = (lines: readonly { sku: string }[]): string | undefined =>
  lines.every((l) => l.sku === lines[0]?.sku) ? lines[0]?.sku : undefined;

const parseIfMatch = (value: string | undefined): number | undefined | Failure => {
  if (value === undefined || value.trim() === "*") return undefined;
  const match = IF_MATCH_PATTERN.exec(value.trim());
  return match ? Number(match[1]) : failure("VALIDATION_ERROR", 'If-Match must be a version in quotes, e.g. "3"');
};

/**
 * A write endpoint: Idempotency-Key, If-Match and body are checked before anything runs,
 * then the command runs once per key and its first answer is replayed for retries.
 */
export const commandEndpoint =
  <S extends z.ZodType>(
    execute: CommandExecutor,
    schema: S,
    route: CommandRoute<z.infer<S>>,
    toCommand: (input: CommandInput<z.infer<S>>) => Command,
  ) =>
  async (c: Context<HubRequestEnv>) => {
    const principal = c.get("principal");
    const notAllowed = authorize(principal, route.action);
    if (notAllowed) return failureResponse(c, notAllowed);
    const idempotencyKey = c.req.header("Idempotency-Key");
    if (idempotencyKey === undefined || idempotencyKey === "") {
      return failureResponse(c, failure("IDEMPOTENCY_KEY_REQUIRED", "send an Idempotency-Key header (a UUID) with every write"));
    }
    if (!idempotencyKeySchema.safeParse(idempotencyKey).success) {
      return failureResponse(c, failure("VALIDATION_ERROR", "Idempotency-Key must be 1-255 printable ASCII characters"));
    }
    const ifMatch = c.req.header("If-Match");
    const expectedVersion = parseIfMatch(ifMatch);
    if (isFailure(expectedVersion)) return failureResponse(c, expectedVersion);
    const body = await parseJsonBody(c, schema);
    if (isFailure(body)) return failureResponse(c, body);
    const notHere = authorize(principal, route.action, route.store?.(body));
    if (notHere) return failureResponse(c, notHere);
    const refused = await route.precheck?.(body);
    if (refused) return failureResponse(c, refused);

    // A trace id may also travel in the body, as the design's examples send it; it is not part of the request's identity.
    const { traceId: bodyTraceId, ...identity } = body as { traceId?: string };
    if (c.req.header(TRACE_HEADER) === undefined && bodyTraceId && TRACE_ID_PATTERN.test(bodyTraceId)) {
      c.set("traceId", bodyTraceId);
      c.header(TRACE_HEADER, bodyTraceId);
    }
    const executed = await execute(
      {
        principal,
        idempotency: {
          scope: principal.subject,
          key: idempotencyKey,
          fingerprint: requestFingerprint({ method: c.req.method, path: c.req.path, ifMatch, body: identity }),
        },
        traceId: c.get("traceId"),
        batchKey: route.batchKey?.(body),
      },
      toCommand({ body, expectedVersion, principal }),
    );
    if (isFailure(executed)) return failureResponse(c, executed);
    const { reply, replayed } = executed;
    const headers: Record<string, string> = { ...reply.headers };
    if (replayed) headers["Idempotent-Replayed"] = "true";
    const code = (reply.body as { code?: unknown } | null)?.code;
    recordOutcome(c, reply.status >= 400 && typeof code === "string" ? code : "OK", replayed);
    return c.json(reply.body, reply.status as 202, headers);
  };
