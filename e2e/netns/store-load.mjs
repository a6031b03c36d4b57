// A store's tills, run inside the store's network namespace: reads and writes against the local agent
// for a fixed time, one JSON line per request. node store-load.mjs <agentUrl> <token> <durationMs> <out>
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";

const [agentUrl, token, durationMs, outFile] = process.argv.slice(2);
const out = createWriteStream(outFile);
const end = Date.now() + Number(durationMs);
const record = (entry) => out.write(JSON.stringify(entry) + "\n");

const timed = async (kind, init, path) => {
  const started = performance.now();
  try {
    const res = await fetch(agentUrl + path, { ...init, signal: AbortSignal.timeout(10_000) });
    const body = await res.json().catch(() => null);
    return {
      kind,
      at: Date.now(),
      ms: performance.now() - started,
      status: res.status,
      lag: Number(res.headers.get("x-projection-lag-ms") ?? -1),
      body,
    };
  } catch (err) {
    return { kind, at: Date.now(), ms: performance.now() - started, status: 0, error: String(err) };
  }
};

const reader = async () => {
  while (Date.now() < end) {
    const r = await timed("read", {}, "/v1/availability?sku=N1&storeId=S1");
    record({ ...r, onHand: r.body?.perStore?.[0]?.onHand, version: r.body?.perStore?.[0]?.version, body: undefined });
    await new Promise((res) => setTimeout(res, 50));
  }
};

// A till sends a write whose outcome it did not learn (503, no answer) again under the same key, so that one
// the hub applied behind a cut link is answered rather than lost or repeated; it stops once it has learnt it.
const writer = async () => {
  let key = "";
  for (let outcomeKnown = true; Date.now() < end || (!outcomeKnown && Date.now() < end + 20_000); ) {
    if (outcomeKnown) key = randomUUID();
    const r = await timed(
      "write",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": key },
        body: JSON.stringify({ storeId: "S1", sku: "N1", delta: 1, reason: "restock" }),
      },
      "/v1/adjustments",
    );
    outcomeKnown = r.status !== 0 && r.status !== 503;
    record({ ...r, key, version: r.body?.version, code: r.body?.code, body: undefined, retryAfter: undefined });
    await new Promise((res) => setTimeout(res, 100));
  }
};

await Promise.all([reader(), reader(), writer()]);
out.end();
