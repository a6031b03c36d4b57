import { Command, CommanderError, Option } from "commander";
import { ADJUSTMENT_REASONS, type AdjustmentReason } from "@inventory/shared";
import { createApiClient } from "./api-client.js";
import { isCliFailure, exitCodeOf, type CliFailure } from "./cli-failure.js";
import type { CliIo } from "./cli-io.js";
import type { CommandContext, Done } from "./command-context.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { example, MAIN_HELP, RECOUNT_HELP, SEE_MAIN_HELP } from "./help-text.js";
import { loadConfig } from "./load-config.js";
import { parseWholeNumber } from "./parse-arguments.js";
import { runRecount } from "./commands/recount-command.js";
import { runAdjust, runSet } from "./commands/stock-commands.js";
import { runReserve, runSettle } from "./commands/reservation-commands.js";
import { runReceive, runTransfer } from "./commands/transfer-command.js";
import { runAvailability, runEvents, runJournal } from "./commands/read-commands.js";
import { addOperatorCommands } from "./operator-program.js";

interface GlobalOptions {
  agent?: string;
  store?: string;
  token?: string;
  timeoutMs?: string;
  json?: boolean;
}

/** Default of --batch-threshold: counts this long or longer go as one reconciliation. */
export const DEFAULT_BATCH_THRESHOLD = 1000;

const report = (io: CliIo, json: boolean, outcome: Done | CliFailure): ExitCode => {
  if (isCliFailure(outcome)) {
    const exitCode = exitCodeOf(outcome.kind);
    io.err(`${outcome.kind === "usage" ? "error: " : ""}${outcome.message}\n`);
    if (json)
      io.out(`${JSON.stringify({ error: { kind: outcome.kind, message: outcome.message, ...outcome.details }, exitCode }, null, 2)}\n`);
    return exitCode;
  }
  if (json && outcome.json !== undefined) io.out(`${JSON.stringify(outcome.json, null, 2)}\n`);
  else if (!json && outcome.text) io.out(outcome.text);
  if (outcome.warning) io.err(`${outcome.warning}\n`);
  return outcome.exitCode;
};

/** The `inventory` program. `setExitCode` receives the outcome of whichever command ran. */
export const buildProgram = (io: CliIo, setExitCode: (code: ExitCode) => void): Command => {
  const program = new Command("inventory")
    .description("Store staff's tool for the chain's inventory: recounts, adjustments, lookups. Talks to the store's edge agent.")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(add --help for usage and an example)")
    .option("--agent <url>", "the store's edge agent, or the hub")
    .option("--store <id>", "the store the command is for")
    .option("--token <token>", "bearer token for changes")
    .option("--timeout-ms <ms>", "longest wait for any one answer")
    .option("--json", "one JSON document on stdout instead of tables")
    .addHelpText("after", MAIN_HELP);

  const act =
    <O>(handler: (ctx: CommandContext, args: string[], opts: O) => Promise<Done | CliFailure>) =>
    async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const globals = command.optsWithGlobals<GlobalOptions>();
      const json = globals.json === true;
      const args = params.slice(0, -2).flat() as string[];
      const config = await loadConfig(io, {
        agent: globals.agent,
        store: globals.store,
        token: globals.token,
        timeoutMs: globals.timeoutMs,
      });
      if (isCliFailure(config)) return setExitCode(report(io, json, config));
      const api = createApiClient({ baseUrl: config.agentUrl, token: config.token, timeoutMs: config.timeoutMs });
      setExitCode(report(io, json, await handler({ config, api, io, json }, args, command.opts() as O)));
    };
  const key = () => new Option("--idempotency-key <key>", "repeat an earlier attempt: the hub applies it at most once");

  program
    .command("recount")
    .description("send a cycle count (CSV of sku,onHand) for this store, after showing what it changes")
    .argument("<file>", "the CSV file, or - to read stdin")
    .option("--count-ref <ref>", "reference of this count, recorded with every change (default: <store>-<date>-<hash of the counts>)")
    .option("-y, --yes", "send without asking")
    .option("--dry-run", "show the differences and send nothing")
    .option("--batch-threshold <lines>", "counts of this many lines or more go as one reconciliation", String(DEFAULT_BATCH_THRESHOLD))
    .addHelpText("after", RECOUNT_HELP)
    .action(
      act<{ countRef?: string; yes?: boolean; dryRun?: boolean; batchThreshold: string }>(async (ctx, [file], opts) => {
        const batchThreshold = parseWholeNumber(opts.batchThreshold, "--batch-threshold", 1, 1_000_000_000);
        if (isCliFailure(batchThreshold)) return batchThreshold;
        return runRecount(ctx, {
          file: file!,
          countRef: opts.countRef,
          yes: opts.yes === true,
          dryRun: opts.dryRun === true,
          batchThreshold,
        });
      }),
    );

  program
    .command("adjust")
    .description("change this store's stock of a SKU by a number of units (negative to remove)")
    .argument("<sku>")
    .argument("<delta>", "units to add, or to remove with a minus sign")
    .addOption(new Option("--reason <reason>", "why the stock changed").choices(ADJUSTMENT_REASONS).makeOptionMandatory())
    .option("--if-version <version>", "only if the item is still at this version")
    .addOption(key())
    .addHelpText(
      "after",
      example("inventory --store S1 adjust A1 -2 --reason damage", "inventory --store S1 adjust A1 12 --reason restock") + SEE_MAIN_HELP,
    )
    .action(
      act<{ reason: AdjustmentReason; ifVersion?: string; idempotencyKey?: string }>((ctx, [sku, delta], opts) =>
        runAdjust(ctx, { sku: sku!, delta: delta!, reason: opts.reason, ifVersion: opts.ifVersion, idempotencyKey: opts.idempotencyKey }),
      ),
    );

  program
    .command("set")
    .description("set this store's stock of one SKU to a counted number")
    .argument("<sku>")
    .argument("<onHand>", "the units counted on the shelf")
    .option("--count-ref <ref>", "reference of the count, recorded with the change")
    .option("--if-version <version>", "only if the item is still at this version")
    .addOption(key())
    .addHelpText("after", example("inventory --store S1 set A1 118 --count-ref shelf-check-2025-01-31") + SEE_MAIN_HELP)
    .action(
      act<{ countRef?: string; ifVersion?: string; idempotencyKey?: string }>((ctx, [sku, onHand], opts) =>
        runSet(ctx, {
          sku: sku!,
          onHand: onHand!,
          countRef: opts.countRef,
          ifVersion: opts.ifVersion,
          idempotencyKey: opts.idempotencyKey,
        }),
      ),
    );

  program
    .command("availability")
    .description("stock of a SKU at this store (every store with --all-stores or without --store)")
    .argument("<sku>")
    .option("--all-stores", "every store's stock, not only this store's")
    .addHelpText("after", example("inventory --store S1 availability A1", "inventory availability A1 --all-stores --json") + SEE_MAIN_HELP)
    .action(act<{ allStores?: boolean }>((ctx, [sku], opts) => runAvailability(ctx, { sku: sku!, allStores: opts.allStores === true })));

  program
    .command("reserve")
    .description("hold units at this store for a customer (all lines or none)")
    .argument("<lines...>", "SKU:QTY, e.g. A1:2")
    .option("--ttl <seconds>", "how long the hold lasts (1-86400; the hub's default is 900)")
    .option("--customer <id>", "who the units are held for")
    .addOption(key())
    .addHelpText("after", example("inventory --store S1 reserve A1:2 B2:1 --ttl 3600 --customer c-1042") + SEE_MAIN_HELP)
    .action(
      act<{ ttl?: string; customer?: string; idempotencyKey?: string }>((ctx, lines, opts) =>
        runReserve(ctx, { lines, ttl: opts.ttl, customer: opts.customer, idempotencyKey: opts.idempotencyKey }),
      ),
    );

  program
    .command("confirm")
    .description("sell the units a reservation holds")
    .argument("<reservationId>")
    .option("--payment-ref <ref>", "the payment's reference")
    .addOption(key())
    .addHelpText("after", example("inventory confirm 3f2b9c1e-8d4a-4e0b-9a51-2c7d9e0f1a23 --payment-ref till-4-0815") + SEE_MAIN_HELP)
    .action(
      act<{ paymentRef?: string; idempotencyKey?: string }>((ctx, [id], opts) =>
        runSettle(ctx, "confirm", { id: id!, note: opts.paymentRef, idempotencyKey: opts.idempotencyKey }),
      ),
    );

  program
    .command("cancel")
    .description("give back the units a reservation holds")
    .argument("<reservationId>")
    .option("--reason <text>", "why it was cancelled")
    .addOption(key())
    .addHelpText("after", example('inventory cancel 3f2b9c1e-8d4a-4e0b-9a51-2c7d9e0f1a23 --reason "customer left"') + SEE_MAIN_HELP)
    .action(
      act<{ reason?: string; idempotencyKey?: string }>((ctx, [id], opts) =>
        runSettle(ctx, "cancel", { id: id!, note: opts.reason, idempotencyKey: opts.idempotencyKey }),
      ),
    );

  program
    .command("transfer")
    .description("send units from this store (or --from) to another store")
    .argument("<toStore>")
    .argument("<lines...>", "SKU:QTY, e.g. A1:5")
    .option("--from <store>", "the sending store (default: --store)")
    .addOption(new Option("--receipt <mode>", "auto: received at once; manual: the receiving store confirms").choices(["auto", "manual"]))
    .addOption(key())
    .addHelpText("after", example("inventory --store S1 transfer S2 A1:5 B2:1 --receipt manual") + SEE_MAIN_HELP)
    .action(
      act<{ from?: string; receipt?: "auto" | "manual"; idempotencyKey?: string }>((ctx, [toStore, ...lines], opts) =>
        runTransfer(ctx, { toStore: toStore!, lines, from: opts.from, receipt: opts.receipt, idempotencyKey: opts.idempotencyKey }),
      ),
    );

  program
    .command("receive")
    .description("confirm that a transfer sent with --receipt manual has arrived at this store")
    .argument("<transferId>")
    .addOption(key())
    .addHelpText("after", example("inventory --store S2 receive 9a0c3e52-1f7b-4d2e-8c61-5b4f2a7d9e10") + SEE_MAIN_HELP)
    .action(act<{ idempotencyKey?: string }>((ctx, [id], opts) => runReceive(ctx, { id: id!, idempotencyKey: opts.idempotencyKey })));

  program
    .command("journal")
    .description("this store's offline sales journal: sales waiting for the hub, the oldest, refusals (an agent with OFFLINE_SALES)")
    .addHelpText("after", example("INVENTORY_TOKEN=<operator token> inventory journal") + SEE_MAIN_HELP)
    .action(act((ctx) => runJournal(ctx)));

  program
    .command("events")
    .description("what happened to a SKU at this store (every store with --all-stores), oldest first")
    .argument("<sku>")
    .option("--all-stores", "events of every store, not only this store's")
    .option("--since <time>", "only events from this time, e.g. 2025-01-31 or 2025-01-31T08:00:00Z")
    .option("--limit <n>", "events per page (1-1000)")
    .option("--cursor <cursor>", "the next page, as the previous page said")
    .addHelpText("after", example("inventory --store S1 events A1 --since 2025-01-31 --limit 20") + SEE_MAIN_HELP)
    .action(
      act<{ allStores?: boolean; since?: string; limit?: string; cursor?: string }>((ctx, [sku], opts) =>
        runEvents(ctx, { sku: sku!, allStores: opts.allStores === true, since: opts.since, limit: opts.limit, cursor: opts.cursor }),
      ),
    );

  addOperatorCommands(program, act);
  return program;
};

/** Runs `inventory` with the given arguments (without `node` and the script) and returns the exit code. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.err(`inventory: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.failed;
  }
  return exitCode;
};
