import { cliFailure, isCliFailure, type CliFailure } from "../cli-failure.js";
import type { Reply } from "../classify-reply.js";
import { requireStore, requireToken, type CommandContext, type Done } from "../command-context.js";
import { checkCountRef, defaultCountRef, localDay } from "../count-ref.js";
import { EXIT } from "../exit-codes.js";
import { countsDigest } from "../idempotency-key.js";
import { parseCountCsv, type CountLine } from "../parse-count-csv.js";
import { startProgress } from "../progress-writer.js";
import { readCurrentStock } from "../read-current-stock.js";
import { diffCounts, linesToSend, type DiffLine } from "../recount-diff.js";
import { recountExitCode, summariseRecount, type LineOutcome, type LineResult } from "../recount-outcome.js";
import { diffReport, rerunCommand, resultReport } from "../recount-report.js";
import { unreachableMessage } from "../reply-failure.js";
import { sendReconciliation } from "../send-reconciliation.js";
import { sendRecountLines } from "../send-recount-lines.js";

export interface RecountOptions {
  readonly file: string;
  readonly countRef: string | undefined;
  readonly yes: boolean;
  readonly dryRun: boolean;
  /** Counts of at least this many lines go as reconciliations when the server has them. */
  readonly batchThreshold: number;
}

/** More problems than this are summed up rather than listed. */
const MAX_PROBLEMS_SHOWN = 20;
/** A replica further behind than this gets a warning that the differences may be out of date. */
const STALE_REPLICA_MS = 5000;

const csvFailure = (file: string, problems: readonly { line: number; message: string }[]): CliFailure => {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `  line ${p.line}: ${p.message}`);
  const more = problems.length > MAX_PROBLEMS_SHOWN ? [`  ... and ${problems.length - MAX_PROBLEMS_SHOWN} more`] : [];
  const where = file === "-" ? "the counts on stdin" : file;
  return cliFailure("usage", [`${where} has ${problems.length} bad line(s); nothing was sent:`, ...shown, ...more].join("\n"), {
    problems,
  });
};

/** Checks made before anything is read or sent, so a script fails fast and the same way every time. */
const preflight = (ctx: CommandContext, options: RecountOptions): string | CliFailure => {
  const storeId = requireStore(ctx.config);
  if (isCliFailure(storeId) || options.dryRun) return storeId;
  const token = requireToken(ctx.config);
  if (isCliFailure(token)) return token;
  if (!options.yes && (options.file === "-" || !ctx.io.stdinIsTTY)) {
    return cliFailure(
      "usage",
      options.file === "-"
        ? "the counts come from stdin, so there is no terminal to confirm on: add --yes to send without asking (or --dry-run to only look)"
        : "stdin is not a terminal, so the recount cannot ask for confirmation: add --yes to send without asking (or --dry-run to only look)",
    );
  }
  return storeId;
};

const readCounts = async (ctx: CommandContext, file: string): Promise<readonly CountLine[] | CliFailure> => {
  const text = await ctx.io.readText(file);
  if (isCliFailure(text)) return text;
  const { counts, problems } = parseCountCsv(text);
  if (problems.length > 0) return csvFailure(file, problems);
  if (counts.length === 0) return cliFailure("usage", `${file === "-" ? "stdin" : file} has no counts: expected lines of sku,onHand`);
  return counts;
};

const withOutcomes = (diff: readonly DiffLine[], outcomes: ReadonlyMap<number, LineOutcome>, fallback: LineOutcome): LineResult[] =>
  diff.map((d) => ({ ...d, outcome: outcomes.get(d.line) ?? (d.status === "unchanged" ? { status: "unchanged" } : fallback) }));

const stoppedMessage = (stopped: Extract<Reply, { kind: "unavailable" | "busy" }>, agentUrl: string) =>
  stopped.kind === "busy"
    ? `The hub is still processing an earlier run of this count (${stopped.message}).`
    : unreachableMessage(stopped, agentUrl);

type Sent =
  | { outcomes: Map<number, LineOutcome>; mode: "lines" | "reconciliation"; reconciliationIds: string[]; stoppedMessage?: string }
  | CliFailure;

/** Sends what needs sending: one reconciliation for a large count when the server has it, else line by line. */
const send = async (
  ctx: CommandContext,
  storeId: string,
  countRef: string,
  counts: readonly CountLine[],
  diff: readonly DiffLine[],
  batch: boolean,
): Promise<Sent> => {
  const { api, io } = ctx;
  const toSend = linesToSend(diff);
  const outcomes = new Map<number, LineOutcome>();
  const reconciliationIds: string[] = [];
  let lines = toSend;
  if (batch) {
    const progress = startProgress(io, counts.length, "reconciling");
    const sent = await sendReconciliation({ api, storeId, countRef, counts, onDone: progress.update });
    progress.finish();
    if (isCliFailure(sent)) return sent;
    for (const [line, o] of sent.outcomes) outcomes.set(line, o);
    reconciliationIds.push(...sent.reconciliationIds);
    if (sent.stoppedBy)
      return { outcomes, mode: "reconciliation", reconciliationIds, stoppedMessage: stoppedMessage(sent.stoppedBy, api.baseUrl) };
    if (!sent.fallback) return { outcomes, mode: "reconciliation", reconciliationIds };
    const remaining = new Set(sent.fallback.lines.map((l) => l.line));
    lines = toSend.filter((d) => remaining.has(d.line));
    io.err(`note: ${sent.fallback.reason}; sending the ${lines.length} changed line(s) one by one instead.\n`);
  }
  const progress = startProgress(io, lines.length, "sending");
  const sent = await sendRecountLines({ api, storeId, countRef, lines, sleep: io.sleep, onDone: progress.update });
  progress.finish();
  if (isCliFailure(sent)) return sent;
  for (const [line, o] of sent.outcomes) outcomes.set(line, o);
  const mode = batch && reconciliationIds.length > 0 ? "reconciliation" : "lines";
  return sent.stoppedBy
    ? { outcomes, mode, reconciliationIds, stoppedMessage: stoppedMessage(sent.stoppedBy, api.baseUrl) }
    : { outcomes, mode, reconciliationIds };
};

/**
 * `inventory recount <file|->`: reads a count, shows how it differs from the store's replica, asks, sends it
 * with keys derived from the count reference, and reports what was applied, unchanged and refused.
 */
export const runRecount = async (ctx: CommandContext, options: RecountOptions): Promise<Done | CliFailure> => {
  const { io } = ctx;
  const storeId = preflight(ctx, options);
  if (isCliFailure(storeId)) return storeId;
  const counts = await readCounts(ctx, options.file);
  if (isCliFailure(counts)) return counts;
  const digest = countsDigest(counts);
  const countRef = options.countRef === undefined ? defaultCountRef(storeId, localDay(io.now()), digest) : checkCountRef(options.countRef);
  if (isCliFailure(countRef)) return countRef;

  const reading = startProgress(io, counts.length, "reading current stock");
  const read = await readCurrentStock(
    ctx.api,
    storeId,
    counts.map((c) => c.sku),
    reading.update,
  );
  reading.finish();
  if (isCliFailure(read)) return read;
  const diff = diffCounts(counts, read.current);
  if (!ctx.json) io.out(diffReport(storeId, countRef, diff));
  if (read.maxLagMs > STALE_REPLICA_MS) {
    io.err(
      `warning: this store's replica is ${Math.round(read.maxLagMs / 1000)} s behind the hub; the current values above may be out of date.\n`,
    );
  }

  const toSend = linesToSend(diff);
  const base = { storeId, countRef, file: options.file, dryRun: options.dryRun };
  const finish = (results: LineResult[], extra: Record<string, unknown>, warning?: string): Done => {
    const summary = summariseRecount(results);
    const exitCode = recountExitCode(summary);
    return {
      exitCode,
      json: { ...base, ...extra, summary, lines: results, exitCode },
      text: resultReport(results, summary),
      ...(warning ? { warning } : {}),
    };
  };
  if (toSend.length === 0) {
    return {
      ...finish(withOutcomes(diff, new Map(), { status: "unchanged" }), { sent: false }),
      text: "Nothing to send: every counted line matches the replica.\n",
    };
  }
  if (options.dryRun) {
    const results = withOutcomes(diff, new Map(), { status: "dry-run" });
    return { ...finish(results, { sent: false }), text: `Dry run: nothing was sent (${toSend.length} line(s) would be).\n` };
  }
  if (!options.yes && !(await io.confirm(`Send ${toSend.length} recount line(s) for store ${storeId}? [y/N] `))) {
    return { exitCode: EXIT.ok, json: { ...base, sent: false, cancelled: true }, text: "Cancelled: nothing was sent.\n" };
  }

  const sent = await send(ctx, storeId, countRef, counts, diff, counts.length >= options.batchThreshold);
  if (isCliFailure(sent)) return sent;
  const results = withOutcomes(diff, sent.outcomes, { status: "not-sent", message: "not sent" });
  const notSent = results.filter((r) => r.outcome.status === "not-sent").length;
  const warning =
    notSent > 0
      ? `${sent.stoppedMessage ?? "The hub could not be reached."}\n` +
        `${notSent} line(s) were not sent. Nothing is lost: lines already applied stay applied, and the count is safe to re-run later;` +
        ` the same count reference never applies a line twice:\n  ${rerunCommand(options.file, storeId, countRef)}`
      : undefined;
  const done = finish(results, { sent: true, mode: sent.mode, reconciliationIds: sent.reconciliationIds }, warning);
  const via = sent.mode === "reconciliation" ? `Sent as reconciliation ${sent.reconciliationIds.join(", ")}.\n` : "";
  return { ...done, text: via + (done.text ?? "") };
};
