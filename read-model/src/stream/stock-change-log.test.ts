import { describe, expect, it } from "vitest";
import { createStockChangeLog, type StockChangeEvent } from "./stock-change-log.js";

const change = (sku: string, version: number): StockChangeEvent => ({
  sku,
  storeId: "S1",
  onHand: version,
  reserved: 0,
  available: version,
  inTransit: 0,
  version,
  lastEventAt: "2026-12-01T00:00:00.000Z",
  eventId: `e-${sku}-${version}`,
  eventType: "StockAdjusted",
  reason: "manual",
  occurredAt: "2026-12-01T00:00:00.000Z",
});

describe("stock change log", () => {
  it("given changes, when resuming from one, then the later ones come back in order, none twice", () => {
    const log = createStockChangeLog({ epoch: "e1" });
    const seen: string[] = [];
    log.subscribe((l) => seen.push(l.id));
    for (let v = 1; v <= 4; v++) log.append(change("A1", v));
    log.append(change("A1", 3)); // redelivered: ignored
    expect(seen).toEqual(["e1.1", "e1.2", "e1.3", "e1.4"]);
    const resumed = log.resume("e1.2");
    expect(resumed.kind === "from" && resumed.backlog.map((l) => l.change.version)).toEqual([3, 4]);
    const latest = log.resume("e1.4");
    expect(latest.kind === "from" && latest.backlog).toEqual([]);
  });

  it("given a position from another epoch, ahead, or dropped, then it says reset", () => {
    const log = createStockChangeLog({ epoch: "e1", capacity: 2 });
    for (let v = 1; v <= 5; v++) log.append(change("A1", v));
    expect(log.resume("e0.3").kind).toBe("reset");
    expect(log.resume("e1.9").kind).toBe("reset");
    expect(log.resume("e1.2").kind).toBe("reset");
    expect(log.resume("garbage").kind).toBe("reset");
    const edge = log.resume("e1.3");
    expect(edge.kind === "from" && edge.backlog.map((l) => l.change.version)).toEqual([4, 5]);
  });

  it("given many more changes than it keeps, then after every one it resumes from each kept position and resets before them", () => {
    const capacity = 3;
    const log = createStockChangeLog({ epoch: "e1", capacity });
    for (let v = 1; v <= 20; v++) {
      log.append(change("A1", v));
      for (let from = 0; from <= v; from++) {
        const resumed = log.resume(`e1.${from}`);
        if (from < v - capacity) expect(resumed.kind, `after ${v}, from ${from}`).toBe("reset");
        else
          expect(resumed.kind === "from" && resumed.backlog.map((l) => l.change.version), `after ${v}, from ${from}`).toEqual(
            Array.from({ length: v - from }, (_, i) => from + 1 + i),
          );
      }
    }
  });
});
