import { randomUUID } from "node:crypto";
import { classifyReply } from "../classify-reply.js";
import { cliFailure, isCliFailure, type CliFailure } from "../cli-failure.js";
import type { CommandContext, Done } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { parseIdentifier, parseWholeNumber } from "../parse-arguments.js";
import { replyFailure } from "../reply-failure.js";
import { deadLettersView, fleetView, listPageView } from "../operator-views.js";

const RETRY_HINT = "Nothing was changed; try again later.";

/** 90, 90s, 10m, 2h or 1d as seconds: how old a reservation or transfer must be. */
export const parseAge = (value: string): number | CliFailure => {
  const match = /^(\d{1,8})([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"] : NaN;
  return Number.isInteger(seconds) && seconds <= 31_536_000
    ? seconds
    : cliFailure("usage", `--older-than must be an age such as 90s, 10m, 2h or 1d (at most a year), not '${value}'`);
};

/** The hub serves these from its database; an agent answers "no route", which says where to ask instead. */
const hubOnly = (ctx: CommandContext, what: string, message: string) =>
  cliFailure(
    "failed",
    `${ctx.api.baseUrl} does not serve ${what} ("${message}"); the hub does. Ask the hub: inventory --agent <hub url, e.g. http://hub:8080> ...`,
  );

const read = async (ctx: CommandContext, path: string, query: Record<string, string | number | undefined>, what: string) => {
  const reply = classifyReply(await ctx.api.get(path, query));
  if (reply.kind === "no-route") return hubOnly(ctx, what, reply.message);
  if (reply.kind !== "ok") return replyFailure(reply, { action: `list ${what}`, retryHint: RETRY_HINT }, ctx.api.baseUrl);
  return reply.body;
};

export interface ListArgs {
  readonly status?: string;
  readonly forStore?: string;
  readonly sku?: string;
  readonly olderThan?: string;
  readonly limit?: string;
  readonly cursor?: string;
}

/** `inventory reservations list` and `inventory transfers list`: one page, newest first, with the next page's cursor. */
export const runList = async (ctx: CommandContext, kind: "reservations" | "transfers", args: ListArgs): Promise<Done | CliFailure> => {
  const storeId = args.forStore === undefined ? undefined : parseIdentifier(args.forStore, "--for-store");
  if (isCliFailure(storeId)) return storeId;
  const sku = args.sku === undefined ? undefined : parseIdentifier(args.sku, "--sku");
  if (isCliFailure(sku)) return sku;
  const olderThanSeconds = args.olderThan === undefined ? undefined : parseAge(args.olderThan);
  if (isCliFailure(olderThanSeconds)) return olderThanSeconds;
  const limit = args.limit === undefined ? undefined : parseWholeNumber(args.limit, "--limit", 1, 200);
  if (isCliFailure(limit)) return limit;
  const status = args.status?.toUpperCase();
  const body = await read(ctx, `/v1/${kind}`, { status, storeId, sku, olderThanSeconds, limit, cursor: args.cursor }, kind);
  if (isCliFailure(body)) return body;
  return { exitCode: EXIT.ok, json: body, text: listPageView(kind, body) };
};

/** `inventory status`: every replica in the fleet (the hub's and each agent's) and the outbox relay. */
export const runStatus = async (ctx: CommandContext): Promise<Done | CliFailure> => {
  const body = await read(ctx, "/v1/projections/status", {}, "the fleet's status");
  if (isCliFailure(body)) return body;
  const projections = Array.isArray(body.projections) ? (body.projections as Record<string, unknown>[]) : [];
  const unreachable = projections.filter((p) => p.state === "UNREACHABLE").length;
  return {
    exitCode: EXIT.ok,
    json: body,
    text: fleetView(body),
    warning: unreachable > 0 ? `${unreachable} agent(s) have not reported for more than 15 s.` : undefined,
  };
};

/** `inventory dlt list`: dead letters not replayed yet. */
export const runDeadLetterList = async (ctx: CommandContext, args: { topic?: string; limit?: string }): Promise<Done | CliFailure> => {
  const limit = args.limit === undefined ? undefined : parseWholeNumber(args.limit, "--limit", 1, 1000);
  if (isCliFailure(limit)) return limit;
  const body = await read(ctx, "/v1/dlt", { topic: args.topic, limit }, "dead letters");
  if (isCliFailure(body)) return body;
  return { exitCode: EXIT.ok, json: body, text: deadLettersView(body) };
};

/** `inventory dlt replay <topic> <messageId...>`: sends the original messages back to their topic. */
export const runDeadLetterReplay = async (
  ctx: CommandContext,
  args: { topic: string; messageIds: string[] },
): Promise<Done | CliFailure> => {
  if (args.messageIds.length === 0)
    return cliFailure("usage", "name at least one dead letter's messageId, as `inventory dlt list` shows it");
  const result = await ctx.api.post("/v1/dlt/replay", { topic: args.topic, messageIds: args.messageIds }, { idempotencyKey: randomUUID() });
  const reply = classifyReply(result);
  if (reply.kind === "no-route") return hubOnly(ctx, "dead letters", reply.message);
  if (reply.kind !== "ok")
    return replyFailure(
      reply,
      { action: "replay dead letters", retryHint: "Replaying again is safe: a replayed letter is not sent twice." },
      ctx.api.baseUrl,
    );
  const ids = (key: string) => (Array.isArray(reply.body[key]) ? (reply.body[key] as string[]) : []);
  const unknown = ids("unknown");
  return {
    exitCode: unknown.length > 0 ? EXIT.refused : EXIT.ok,
    json: reply.body,
    text: `Replayed ${ids("replayed").length}, already replayed ${ids("alreadyReplayed").length}, unknown ${unknown.length}.\n`,
    warning: unknown.length > 0 ? `Unknown on ${args.topic}: ${unknown.join(", ")}` : undefined,
  };
};
