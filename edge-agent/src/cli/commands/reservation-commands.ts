import { isCliFailure, type CliFailure } from "../cli-failure.js";
import { requireStore, type CommandContext, type Done } from "../command-context.js";
import { parseIdentifier, parseSkuQtyLines, parseWholeNumber } from "../parse-arguments.js";
import { reservationView } from "../views.js";
import { sendWrite } from "./send-write.js";

/** `inventory reserve <SKU:QTY...>`: hold units at the configured store for a customer. */
export const runReserve = async (
  ctx: CommandContext,
  args: { lines: string[]; ttl: string | undefined; customer: string | undefined; idempotencyKey: string | undefined },
): Promise<Done | CliFailure> => {
  const storeId = requireStore(ctx.config);
  if (isCliFailure(storeId)) return storeId;
  const lines = parseSkuQtyLines(args.lines);
  if (isCliFailure(lines)) return lines;
  const ttlSeconds = args.ttl === undefined ? undefined : parseWholeNumber(args.ttl, "--ttl", 1, 86_400);
  if (isCliFailure(ttlSeconds)) return ttlSeconds;
  return sendWrite(ctx, {
    path: "/v1/reservations",
    body: { storeId, lines, ...(ttlSeconds !== undefined ? { ttlSeconds } : {}), ...(args.customer ? { customerId: args.customer } : {}) },
    action: `reserve at ${storeId}`,
    idempotencyKey: args.idempotencyKey,
    view: reservationView,
  });
};

/** `inventory confirm <id>` and `inventory cancel <id>`: settle a reservation. */
export const runSettle = async (
  ctx: CommandContext,
  action: "confirm" | "cancel",
  args: { id: string; note: string | undefined; idempotencyKey: string | undefined },
): Promise<Done | CliFailure> => {
  const id = parseIdentifier(args.id, "reservation id");
  if (isCliFailure(id)) return id;
  const body = args.note ? (action === "confirm" ? { paymentRef: args.note } : { reason: args.note }) : {};
  return sendWrite(ctx, {
    path: `/v1/reservations/${encodeURIComponent(id)}:${action}`,
    body,
    action: `${action} reservation ${id}`,
    idempotencyKey: args.idempotencyKey,
    view: reservationView,
  });
};
