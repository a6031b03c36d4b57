import { classifyReply } from "../classify-reply.js";
import { cliFailure, isCliFailure, type CliFailure } from "../cli-failure.js";
import type { CommandContext, Done } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { parseIdentifier, parseWholeNumber } from "../parse-arguments.js";
import { replyFailure } from "../reply-failure.js";
import { availabilityView, eventsView } from "../views.js";
import { offlineStatusView, type OfflineJournalStatus } from "../offline-status-view.js";

const READ_RETRY_HINT = "Nothing was changed; try again later.";

/** `inventory availability <sku> [--all-stores]`: this store's stock of a SKU, or every store's. */
export const runAvailability = async (ctx: CommandContext, args: { sku: string; allStores: boolean }): Promise<Done | CliFailure> => {
  const sku = parseIdentifier(args.sku, "SKU");
  if (isCliFailure(sku)) return sku;
  const storeId = args.allStores ? undefined : ctx.config.storeId;
  const result =
    storeId === undefined
      ? await ctx.api.get(`/v1/items/${encodeURIComponent(sku)}/availability`)
      : await ctx.api.get("/v1/availability", { sku, storeId });
  const reply = classifyReply(result);
  if (reply.kind !== "ok") return replyFailure(reply, { action: `look up ${sku}`, retryHint: READ_RETRY_HINT }, ctx.api.baseUrl);
  return {
    exitCode: EXIT.ok,
    json: { ...reply.body, lagMs: reply.lagMs ?? null },
    text: availabilityView(reply.body, reply.lagMs),
  };
};

/** `inventory events <sku>`: the timeline of a SKU's events at this store (or every store), one page at a time. */
export const runEvents = async (
  ctx: CommandContext,
  args: { sku: string; allStores: boolean; since: string | undefined; limit: string | undefined; cursor: string | undefined },
): Promise<Done | CliFailure> => {
  const sku = parseIdentifier(args.sku, "SKU");
  if (isCliFailure(sku)) return sku;
  if (args.since !== undefined && Number.isNaN(Date.parse(args.since))) {
    return cliFailure("usage", `--since must be a date or time, e.g. 2025-01-31 or 2025-01-31T08:00:00Z, not '${args.since}'`);
  }
  const limit = args.limit === undefined ? undefined : parseWholeNumber(args.limit, "--limit", 1, 1000);
  if (isCliFailure(limit)) return limit;
  const since = args.since === undefined ? undefined : new Date(args.since).toISOString();
  const storeId = args.allStores ? undefined : ctx.config.storeId;
  const reply = classifyReply(await ctx.api.get("/v1/events", { sku, storeId, since, limit, cursor: args.cursor }));
  if (reply.kind === "no-route") {
    return cliFailure(
      "failed",
      `${ctx.api.baseUrl} does not serve the events timeline ("${reply.message}"); the hub does, from its database. ` +
        `Ask the hub instead: inventory --agent <hub url, e.g. http://hub:8080> events ${sku}`,
    );
  }
  if (reply.kind !== "ok") return replyFailure(reply, { action: "show the events timeline", retryHint: READ_RETRY_HINT }, ctx.api.baseUrl);
  return { exitCode: EXIT.ok, json: reply.body, text: eventsView(reply.body) };
};

/** `inventory journal`: the agent's offline sales journal (an agent with OFFLINE_SALES; an operator's token). */
export const runJournal = async (ctx: CommandContext): Promise<Done | CliFailure> => {
  const reply = classifyReply(await ctx.api.get("/v1/offline/journal"));
  if (reply.kind === "no-route") {
    return cliFailure(
      "failed",
      `${ctx.api.baseUrl} does not keep an offline sales journal (it runs without OFFLINE_SALES): every write goes to the hub`,
    );
  }
  if (reply.kind !== "ok")
    return replyFailure(reply, { action: "show the offline sales journal", retryHint: READ_RETRY_HINT }, ctx.api.baseUrl);
  return { exitCode: EXIT.ok, json: reply.body, text: offlineStatusView(reply.body as unknown as OfflineJournalStatus) };
};
