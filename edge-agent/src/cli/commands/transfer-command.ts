import { cliFailure, isCliFailure, type CliFailure } from "../cli-failure.js";
import { requireStore, type CommandContext, type Done } from "../command-context.js";
import { parseIdentifier, parseSkuQtyLines } from "../parse-arguments.js";
import { transferView } from "../views.js";
import { sendWrite } from "./send-write.js";

/** `inventory transfer <toStore> <SKU:QTY...>`: send units from this store (or --from) to another. */
export const runTransfer = async (
  ctx: CommandContext,
  args: {
    toStore: string;
    lines: string[];
    from: string | undefined;
    receipt: "auto" | "manual" | undefined;
    idempotencyKey: string | undefined;
  },
): Promise<Done | CliFailure> => {
  const fromStore = args.from === undefined ? requireStore(ctx.config) : parseIdentifier(args.from, "store id");
  if (isCliFailure(fromStore)) return fromStore;
  const toStore = parseIdentifier(args.toStore, "store id");
  if (isCliFailure(toStore)) return toStore;
  if (toStore === fromStore) return cliFailure("usage", `a transfer needs two different stores; both are ${toStore}`);
  const lines = parseSkuQtyLines(args.lines);
  if (isCliFailure(lines)) return lines;
  return sendWrite(ctx, {
    path: "/v1/transfers",
    body: { fromStore, toStore, lines, ...(args.receipt ? { receipt: args.receipt } : {}) },
    action: `transfer from ${fromStore} to ${toStore}`,
    idempotencyKey: args.idempotencyKey,
    view: transferView,
  });
};

/** `inventory receive <transferId>`: the receiving store confirms a transfer sent with --receipt manual has arrived. */
export const runReceive = async (
  ctx: CommandContext,
  args: { id: string; idempotencyKey: string | undefined },
): Promise<Done | CliFailure> => {
  const id = parseIdentifier(args.id, "transfer id");
  if (isCliFailure(id)) return id;
  return sendWrite(ctx, {
    path: `/v1/transfers/${encodeURIComponent(id)}:receive`,
    body: {},
    action: `receive transfer ${id}`,
    idempotencyKey: args.idempotencyKey,
    view: transferView,
  });
};
