import type { Command } from "commander";
import type { CliFailure } from "./cli-failure.js";
import type { CommandContext, Done } from "./command-context.js";
import { example, SEE_MAIN_HELP } from "./help-text.js";
import { runDeadLetterList, runDeadLetterReplay, runList, runStatus, type ListArgs } from "./commands/operator-commands.js";

type Act = <O>(
  handler: (ctx: CommandContext, args: string[], opts: O) => Promise<Done | CliFailure>,
) => (...params: unknown[]) => Promise<void>;

const HUB = "Served by the hub: pass --agent <hub url> (e.g. http://hub:8080) and an operator's or admin's --token.";

/** Head office's commands: the fleet, dead letters, and the lists of reservations and transfers. */
export const addOperatorCommands = (program: Command, act: Act) => {
  program
    .command("status")
    .description("every store's replica (state, lag, last report) and the hub's outbox relay")
    .addHelpText(
      "after",
      `${HUB}\n${example("inventory --agent http://hub:8080 status", "inventory --agent http://hub:8080 status --json")}${SEE_MAIN_HELP}`,
    )
    .action(act((ctx) => runStatus(ctx)));

  const dlt = program.command("dlt").description("dead letters: messages a replica or the transfer saga could not apply");
  dlt
    .command("list")
    .description("dead letters not replayed yet")
    .option("--topic <topic>", "only this topic's (stock.events, reservation.events, transfer.events)")
    .option("--limit <n>", "at most this many (1-1000)")
    .addHelpText("after", `${HUB}\n${example("inventory --agent http://hub:8080 dlt list --topic stock.events")}`)
    .action(act<{ topic?: string; limit?: string }>((ctx, _args, opts) => runDeadLetterList(ctx, opts)));
  dlt
    .command("replay")
    .description("send dead letters back to their topic")
    .argument("<topic>")
    .argument("<messageIds...>", "as `dlt list` shows them, e.g. 0-41")
    .addHelpText("after", `${HUB}\n${example("inventory --agent http://hub:8080 dlt replay stock.events 0-41 2-7")}`)
    .action(act((ctx, [topic, ...messageIds]) => runDeadLetterReplay(ctx, { topic: topic!, messageIds })));

  for (const kind of ["reservations", "transfers"] as const) {
    program
      .command(kind)
      .description(`head office's list of ${kind}`)
      .command("list")
      .description(`${kind}, newest first, one page at a time`)
      .option(
        "--status <status>",
        kind === "reservations" ? "CREATED, CONFIRMED, CANCELLED or EXPIRED" : "REQUESTED, DISPATCHED, RECEIVED, COMPLETED or FAILED",
      )
      .option("--for-store <id>", kind === "reservations" ? "only those held at this store" : "only those from or to this store")
      .option("--sku <sku>", "only those with a line for this SKU")
      .option("--older-than <age>", "only those created at least this long ago: 90s, 10m, 2h, 1d")
      .option("--limit <n>", "per page (1-200, default 50)")
      .option("--cursor <cursor>", "the next page, as the previous page said")
      .addHelpText(
        "after",
        `${HUB}\n${example(kind === "reservations" ? "inventory --agent http://hub:8080 reservations list --status CREATED --older-than 10m" : "inventory --agent http://hub:8080 transfers list --status FAILED --json")}`,
      )
      .action(act<ListArgs>((ctx, _args, opts) => runList(ctx, kind, opts)));
  }
};
