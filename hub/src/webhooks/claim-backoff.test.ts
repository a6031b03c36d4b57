import pg from "pg";
import { describe, expect, it } from "vitest";
import { createLogger } from "@inventory/platform";
import { systemResolver } from "./resolve-target.js";
import { claimBackoffMs, startWebhookDispatcher } from "./start-webhook-dispatcher.js";
import { targetPolicyOf } from "./target-address.js";

describe("webhook dispatcher while PostgreSQL is away", () => {
  it("given claims that keep failing, then the wait doubles from the poll interval up to 10 s, and is the poll interval again after a success", () => {
    expect([0, 1, 2, 3, 4].map((f) => claimBackoffMs(500, f))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(claimBackoffMs(500, 5)).toBe(10_000);
    expect(claimBackoffMs(500, 60)).toBe(10_000);
    expect(claimBackoffMs(20_000, 1)).toBe(20_000);
  });

  it("given a database nobody listens on, when the dispatcher runs for 2 s at a 50 ms poll, then it tries a few times, not every poll, and stops at once", async () => {
    // A real pool to a port with no server: every claim fails as it would with PostgreSQL down.
    const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 200 });
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ service: "test" }, { write: (line) => lines.push(JSON.parse(line)) });
    const dispatcher = startWebhookDispatcher({
      pool,
      log,
      send: { timeoutMs: 1000, policy: targetPolicyOf("false"), resolveHost: systemResolver },
      retry: { firstDelayMs: 100, maxDelayMs: 1000, windowMs: 10_000 },
      concurrency: 2,
      pollMs: 50,
    });
    await new Promise((r) => setTimeout(r, 2000));
    const stopping = performance.now();
    await dispatcher.stop();
    const stopMs = performance.now() - stopping;
    await pool.end();
    const failures = lines.filter((l) => l.msg === "webhook dispatcher could not claim deliveries");
    // Without the backoff: about 2,000 / 50 = 40 tries. With it: 50 → 100, 200, 400, 800 ms between them.
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures.length).toBeLessThanOrEqual(7);
    expect(failures.map((l) => l.nextClaimInMs)).toEqual(failures.map((_, i) => Math.min(10_000, 50 * 2 ** (i + 1))));
    expect(stopMs).toBeLessThan(500);
  });
});
