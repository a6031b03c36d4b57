// A store's tills selling through the store's agent, run inside the store's network namespace, one JSON line per
// answer. node till-sales.mjs <agentUrl> <clerkToken> <operatorToken> <durationMs> <out> <sku,sku,...> [tills]
// A till sends a sale whose outcome it did not learn (no answer, 503) again under the same key until it does.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";

const [agentUrl, token, operatorToken, durationMs, outFile, skuList, tillCount = "2"] = process.argv.slice(2);
const skus = skuList.split(",");
const out = createWriteStream(outFile);
const end = Date.now() + Number(durationMs);
const record = (entry) => out.write(JSON.stringify({ at: Date.now(), ...entry }) + "\n");
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

const call = async (path, init = {}) => {
  try {
    const res = await fetch(agentUrl + path, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, headers: res.headers, body };
  } catch (err) {
    return { status: 0, headers: new Headers(), body: String(err) };
  }
};

const till = async (n) => {
  for (let i = 0; Date.now() < end; i++) {
    const sku = skus[(i + n) % skus.length];
    const key = randomUUID();
    const body = JSON.stringify({ storeId: "S1", sku, delta: -1, reason: "sale" });
    let r;
    for (let tries = 0; ; tries++) {
      r = await call("/v1/adjustments", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": key },
        body,
      });
      if ((r.status !== 0 && r.status !== 503) || Date.now() > end + 30_000) break;
      await pause(100);
    }
    record({
      kind: "sale",
      till: n,
      key,
      sku,
      status: r.status,
      queued: r.headers.get("x-offline-queued") === "true",
      onHand: r.body?.onHand,
      code: r.body?.code,
    });
    if (r.status === 202) {
      const read = await call(`/v1/availability?sku=${sku}&storeId=S1`);
      const row = read.body?.perStore?.[0];
      record({
        kind: "read",
        sku,
        status: read.status,
        provisionalHeader: read.headers.get("x-offline-provisional") === "true",
        provisional: row?.provisional === true,
        onHand: row?.onHand,
      });
    }
    await pause(100);
  }
};

const watcher = async () => {
  while (Date.now() < end) {
    const journal = await call("/v1/offline/journal", { headers: { Authorization: `Bearer ${operatorToken}` } });
    const metrics = await call("/metrics");
    const gauge =
      typeof metrics.body === "string" ? /^inventory_offline_journal_queued(?:\{[^}]*\})? (\d+)/m.exec(metrics.body)?.[1] : undefined;
    record({
      kind: "status",
      status: journal.status,
      queued: journal.body?.queued,
      oldestQueuedAgeMs: journal.body?.oldestQueuedAgeMs,
      metricsQueued: gauge === undefined ? null : Number(gauge),
    });
    await pause(1000);
  }
};

await Promise.all([...Array.from({ length: Number(tillCount) }, (_, n) => till(n)), watcher()]);
out.end();
