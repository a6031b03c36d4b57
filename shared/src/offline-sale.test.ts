import { describe, expect, it } from "vitest";
import { adjustOffline, checkOfflineAdjustment, needsRecount } from "./offline-sale.js";
import { adjustmentRequestSchema } from "./requests/stock-requests.js";
import { isFailure } from "./errors.js";

const item = { storeId: "S1", sku: "A1", onHand: 2, reserved: 1, inTransit: 0, version: 7 };
const now = new Date("2026-12-01T12:00:00.000Z");
const policy = { now, maxAgeHours: 72 };
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describe("an offline sale replayed at the hub", () => {
  it("given fewer units than sold, when replayed, then onHand goes negative and the item is flagged for a recount", () => {
    const decision = adjustOffline(item, { delta: -3, reason: "sale", occurredAt: hoursAgo(1) }, policy);
    if (isFailure(decision)) throw new Error(decision.message);
    expect(decision.next).toMatchObject({ onHand: -1, reserved: 1, version: 8 });
    expect(decision.events.map((e) => e.eventType)).toEqual(["StockAdjusted", "StockRecountRequired"]);
    expect(decision.events[0]!.payload).toMatchObject({ delta: -3, reason: "sale", offline: true, occurredAt: hoursAgo(1) });
    expect(decision.events[1]!.payload).toMatchObject({ onHand: -1, available: -2, cause: "offline-sale-below-zero" });
    expect(decision.events[1]!.aggregate.version).toBe(8);
  });

  it("given enough units, when replayed, then it is one StockAdjusted and no flag", () => {
    const decision = adjustOffline(item, { delta: -1, reason: "sale", occurredAt: hoursAgo(1) }, policy);
    if (isFailure(decision)) throw new Error(decision.message);
    expect(decision.events.map((e) => e.eventType)).toEqual(["StockAdjusted"]);
    expect(needsRecount(decision.next)).toBe(false);
  });

  it("given a sale older than the limit, when replayed, then it is refused as too old", () => {
    const refused = adjustOffline(item, { delta: -1, reason: "sale", occurredAt: hoursAgo(73) }, policy);
    expect(isFailure(refused) && refused.code).toBe("OFFLINE_SALE_TOO_OLD");
  });

  it("given a sale dated in the future beyond clock skew, or a reason other than sale and return, then it is malformed", () => {
    expect(checkOfflineAdjustment({ delta: -1, reason: "sale", occurredAt: hoursAgo(-1) }, policy)?.code).toBe("VALIDATION_ERROR");
    expect(checkOfflineAdjustment({ delta: -1, reason: "damage", occurredAt: hoursAgo(1) }, policy)?.code).toBe("VALIDATION_ERROR");
    expect(checkOfflineAdjustment({ delta: -1, reason: "sale", occurredAt: hoursAgo(-0.05) }, policy)).toBeUndefined();
  });
});

describe("the adjustment request's offline fields", () => {
  const base = { storeId: "S1", sku: "A1", delta: -1, reason: "sale" };
  it("accepts offline with occurredAt, and a plain adjustment as before", () => {
    expect(adjustmentRequestSchema.safeParse({ ...base, offline: true, occurredAt: "2026-12-01T10:00:00.000Z" }).success).toBe(true);
    expect(adjustmentRequestSchema.safeParse(base).success).toBe(true);
  });
  it("refuses offline without occurredAt, occurredAt without offline, offline false, and offline damage", () => {
    expect(adjustmentRequestSchema.safeParse({ ...base, offline: true }).success).toBe(false);
    expect(adjustmentRequestSchema.safeParse({ ...base, occurredAt: "2026-12-01T10:00:00.000Z" }).success).toBe(false);
    expect(adjustmentRequestSchema.safeParse({ ...base, offline: false }).success).toBe(false);
    expect(
      adjustmentRequestSchema.safeParse({ ...base, reason: "damage", offline: true, occurredAt: "2026-12-01T10:00:00.000Z" }).success,
    ).toBe(false);
  });
});
