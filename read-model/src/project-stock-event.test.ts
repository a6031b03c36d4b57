import { describe, expect, it } from "vitest";
import { projectEvent, stampEvent, stockItemEventDraft, STOCK_EVENT_TYPES, storeRegisteredDraft, type EventDraft } from "@inventory/shared";
import { projectStockEvent } from "./project-stock-event.js";

const item = { storeId: "S1", sku: "A1", onHand: 7, reserved: 2, inTransit: 1, version: 5 };
const drafts: EventDraft[] = [
  stockItemEventDraft(item, STOCK_EVENT_TYPES.adjusted, { delta: -1, reason: "sale" }),
  stockItemEventDraft(item, STOCK_EVENT_TYPES.recounted, { previousOnHand: 3, delta: 4, countRef: null }),
  stockItemEventDraft(item, STOCK_EVENT_TYPES.recounted, { previousOnHand: 3, delta: 4, countRef: "c-1", reconciliationId: "r-1" }),
  stockItemEventDraft(item, STOCK_EVENT_TYPES.reserved, { qty: 2, reservationId: "res-1" }),
  stockItemEventDraft(item, STOCK_EVENT_TYPES.released, { qty: 2, reservationId: "res-1", reason: "expired" }),
  stockItemEventDraft(item, STOCK_EVENT_TYPES.sold, { qty: 1, reservationId: null, customerId: "c", policy: "highest-available" }),
  stockItemEventDraft(item, STOCK_EVENT_TYPES.transferred, { transferId: "t-1", step: "incoming", qty: 1 }),
];
const stamp = { eventId: "0b7f0f0e-6f7e-4a4e-9d62-1b2b7f9d5a11", occurredAt: "2026-01-02T03:04:05.678Z", traceId: "trace-1" };
/** An event as it arrives: JSON bytes parsed back. */
const wire = (draft: EventDraft): Record<string, any> => JSON.parse(JSON.stringify(stampEvent(draft, stamp)));

/** Every way of breaking one field: gone, null, of another type, empty, too long, out of range. */
const breakages = (value: unknown): unknown[] => [
  undefined,
  null,
  "",
  "x".repeat(65),
  "x".repeat(129),
  "x".repeat(201),
  0,
  -1,
  1.5,
  2,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  [],
  {},
  typeof value === "string" ? `${value}x` : value,
];

/** Every event reachable from `event` by breaking one field, at any depth. */
const mutants = (event: Record<string, any>): Record<string, any>[] => {
  const out: Record<string, any>[] = [];
  const visit = (path: string[], value: unknown) => {
    for (const replacement of breakages(value)) {
      const copy = structuredClone(event);
      let parent = copy;
      for (const key of path.slice(0, -1)) parent = parent[key];
      if (replacement === undefined) delete parent[path[path.length - 1]!];
      else parent[path[path.length - 1]!] = replacement;
      out.push(copy);
    }
    if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) visit([...path, k], v);
  };
  for (const [k, v] of Object.entries(event)) visit([k], v);
  return out;
};

describe("projectStockEvent", () => {
  it("given every kind of stock event, when projected, then it gives exactly projectEvent's change", () => {
    for (const draft of drafts) {
      const event = wire(draft);
      const expected = projectEvent(event);
      expect(expected.outcome).toBe("changes");
      expect(projectStockEvent(event)).toEqual(expected.outcome === "changes" ? expected.changes[0] : undefined);
    }
  });

  it("given an event written before inTransit existed, when projected, then inTransit is 0 as in projectEvent", () => {
    const event = wire(drafts[0]!);
    delete event.payload.inTransit;
    const expected = projectEvent(event);
    expect(projectStockEvent(event)).toEqual(expected.outcome === "changes" ? expected.changes[0] : "not a change");
    expect(projectStockEvent(event)?.inTransit).toBe(0);
  });

  it("given any one field broken, when projected, then it either agrees with projectEvent or leaves the answer to it", () => {
    let checked = 0;
    let deferred = 0;
    for (const draft of drafts) {
      for (const event of mutants(wire(draft))) {
        const fast = projectStockEvent(event);
        const full = projectEvent(event);
        if (fast === undefined) {
          deferred += 1;
          continue;
        }
        expect(full.outcome, JSON.stringify(event)).toBe("changes");
        if (full.outcome === "changes") expect(fast).toEqual(full.changes[0]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(deferred).toBeGreaterThan(100);
  });

  it("given a newer eventVersion, a non-stock event or something that is not an event, when projected, then it defers", () => {
    expect(projectStockEvent({ ...wire(drafts[0]!), eventVersion: 2 })).toBeUndefined();
    expect(projectStockEvent(wire(storeRegisteredDraft({ storeId: "S1", name: "One", latencyMs: null })))).toBeUndefined();
    expect(projectStockEvent({ ...wire(drafts[0]!), eventType: "constructor" })).toBeUndefined();
    expect(projectStockEvent(null)).toBeUndefined();
    expect(projectStockEvent([wire(drafts[0]!)])).toBeUndefined();
    expect(projectStockEvent("StockAdjusted")).toBeUndefined();
  });
});
