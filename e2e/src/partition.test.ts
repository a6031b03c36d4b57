import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, eventually, infra, sleep } from "./harness/infra.js";
import { apiClient } from "./harness/http-client.js";
import type { ManagedProcess } from "./harness/processes.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { createStoreNetwork, type StoreNetwork } from "./harness/store-network.js";
import { tokenFor } from "./harness/tokens.js";

/** A store in its own network namespace (see createStoreNetwork), with the agent as designed: no offline sales. */
const id = randomBytes(2).toString("hex");
const agentPort = 18081;

let system: TestSystem;
let store: StoreNetwork;
let agent: ManagedProcess | undefined;

beforeAll(async () => {
  system = await startSystem();
  await seedCatalog(system, ["S1"], [{ sku: "N1", perStore: { S1: 10 } }]);
  store = await createStoreNetwork(system);
  agent = await store.startAgent(`agent-netns-${id}`, agentPort, {
    STORE_ID: "S1",
    AGENT_REPLICA_PATH: `${system.replicaDir}/agent-netns-${id}.sqlite`,
    HUB_TIMEOUT_MS: "1000",
    BREAKER_OPEN_MS: "1000",
  });
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await store?.close();
  await system?.close();
});

interface Sample {
  kind: "read" | "write";
  at: number;
  ms: number;
  status: number;
  lag?: number;
  onHand?: number;
  version?: number;
  key?: string;
}

describe("a store cut off from the centre", () => {
  it("keeps answering reads from its replica, answers writes 503 fast, and catches up with every acknowledged write once the link is back", async () => {
    const out = `${infra.logDir()}/store-load-${id}.jsonl`;
    const load = spawn(
      store.inStore[0]!,
      [
        ...store.inStore.slice(1),
        process.execPath,
        `${REPO_ROOT}e2e/netns/store-load.mjs`,
        `http://127.0.0.1:${agentPort}`,
        tokenFor("clerk", { stores: ["S1"] }),
        "15000",
        out,
      ],
      { stdio: "ignore" },
    );
    const loadDone = new Promise<void>((resolve) => load.once("exit", () => resolve()));
    await sleep(3000);
    const cutAt = Date.now();
    await store.cut();
    await sleep(6000);
    const restoredAt = Date.now();
    await store.heal();
    await loadDone;

    const samples: Sample[] = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const during = samples.filter((s) => s.at > cutAt + 200 && s.at < restoredAt);
    const readsDuring = during.filter((s) => s.kind === "read");
    const writesDuring = during.filter((s) => s.kind === "write");
    // Each write's key once: a write whose answer was lost on the cut link is sent again under its key.
    const acked = [...new Map(samples.filter((s) => s.kind === "write" && s.status === 202).map((s) => [s.key, s])).values()];
    const lagDuring = readsDuring.map((s) => s.lag ?? -1);
    // The first writes wait for the hub until the breaker opens (3 failures); after that none waits.
    const fastRefusals = writesDuring.slice(3).map((s) => s.ms);
    console.log(
      `cut ${((restoredAt - cutAt) / 1000).toFixed(1)} s: ${readsDuring.length} reads (${readsDuring.filter((s) => s.status === 200).length} answered 200), ` +
        `lag header from ${Math.min(...lagDuring)} to ${Math.max(...lagDuring)} ms; ${writesDuring.length} writes, ` +
        `${writesDuring.filter((s) => s.status === 503).length} answered 503, slowest once the breaker was open ${Math.max(...fastRefusals).toFixed(0)} ms; ` +
        `${acked.length} writes acknowledged in all`,
    );
    expect(readsDuring.length).toBeGreaterThan(20);
    expect(readsDuring.every((s) => s.status === 200)).toBe(true);
    expect(writesDuring.length).toBeGreaterThan(5);
    expect(writesDuring.every((s) => s.status === 503)).toBe(true);
    expect(Math.max(...fastRefusals)).toBeLessThan(100);
    expect(Math.max(...lagDuring)).toBeGreaterThan(3000);
    expect(lagDuring.at(-1)!).toBeGreaterThan(lagDuring[0]!);

    // Once the link is back, the replica catches up with every acknowledged write.
    const fromHost = apiClient(`http://${store.storeIp}:${agentPort}`);
    const expected = 10 + acked.length;
    const db = await system.db.query("SELECT on_hand, version FROM stock_items WHERE store_id = 'S1' AND sku = 'N1'");
    expect(db.rows[0].on_hand).toBe(expected);
    await eventually(
      async () => {
        const read = await fromHost.get("/v1/availability?sku=N1&storeId=S1");
        expect(read.body.perStore[0]).toMatchObject({ onHand: expected, version: db.rows[0].version });
        expect(Number(read.headers.get("x-projection-lag-ms"))).toBe(0);
      },
      60_000,
      250,
    );
    expect(acked.filter((s) => s.at > restoredAt).length).toBeGreaterThan(0);
  });
});
