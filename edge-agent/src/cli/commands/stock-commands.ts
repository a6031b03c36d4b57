import { MAX_QUANTITY, type AdjustmentReason } from "@inventory/shared";
import { isCliFailure, type CliFailure } from "../cli-failure.js";
import { requireStore, type CommandContext, type Done } from "../command-context.js";
import { checkCountRef } from "../count-ref.js";
import { parseIdentifier, parseWholeNumber } from "../parse-arguments.js";
import { stockItemView } from "../views.js";
import { sendWrite } from "./send-write.js";

interface Guarded {
  readonly ifVersion: string | undefined;
  readonly idempotencyKey: string | undefined;
}

const parseIfVersion = (value: string | undefined): number | undefined | CliFailure =>
  value === undefined ? undefined : parseWholeNumber(value, "--if-version", 0, 1_000_000_000);

/** `inventory adjust <sku> <delta> --reason <reason>`: a relative change at the configured store. */
export const runAdjust = async (
  ctx: CommandContext,
  args: { sku: string; delta: string; reason: AdjustmentReason } & Guarded,
): Promise<Done | CliFailure> => {
  const storeId = requireStore(ctx.config);
  if (isCliFailure(storeId)) return storeId;
  const sku = parseIdentifier(args.sku, "SKU");
  if (isCliFailure(sku)) return sku;
  const delta = parseWholeNumber(args.delta, "the change", -MAX_QUANTITY, MAX_QUANTITY);
  if (isCliFailure(delta)) return delta;
  const ifVersion = parseIfVersion(args.ifVersion);
  if (isCliFailure(ifVersion)) return ifVersion;
  if (delta === 0)
    return { exitCode: 0, json: { storeId, sku, delta, changed: false }, text: "A change of 0 changes nothing; nothing was sent.\n" };
  return sendWrite(ctx, {
    path: "/v1/adjustments",
    body: { storeId, sku, delta, reason: args.reason },
    action: `adjust ${sku} at ${storeId}`,
    idempotencyKey: args.idempotencyKey,
    ...(ifVersion !== undefined ? { ifVersion } : {}),
    view: stockItemView,
  });
};

/** `inventory set <sku> <onHand>`: one absolute recount at the configured store. */
export const runSet = async (
  ctx: CommandContext,
  args: { sku: string; onHand: string; countRef: string | undefined } & Guarded,
): Promise<Done | CliFailure> => {
  const storeId = requireStore(ctx.config);
  if (isCliFailure(storeId)) return storeId;
  const sku = parseIdentifier(args.sku, "SKU");
  if (isCliFailure(sku)) return sku;
  const onHand = parseWholeNumber(args.onHand, "the count", 0, MAX_QUANTITY);
  if (isCliFailure(onHand)) return onHand;
  const ifVersion = parseIfVersion(args.ifVersion);
  if (isCliFailure(ifVersion)) return ifVersion;
  const countRef = args.countRef === undefined ? undefined : checkCountRef(args.countRef);
  if (isCliFailure(countRef)) return countRef;
  return sendWrite(ctx, {
    path: "/v1/items:set-absolute",
    body: { storeId, sku, onHand, ...(countRef !== undefined ? { countRef } : {}) },
    action: `set ${sku} at ${storeId}`,
    idempotencyKey: args.idempotencyKey,
    ...(ifVersion !== undefined ? { ifVersion } : {}),
    view: stockItemView,
  });
};
