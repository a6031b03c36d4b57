import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafka, silentLogger } from "@inventory/platform";
import { eventually, infra } from "./harness/infra.js";
import { storeRegisteredEvent } from "./harness/events.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

/**
 * The operator console in a real headless Chromium (Debian's, driven by playwright-core), against a real hub and
 * real agents. Screenshots of each page go to .data/test/screenshots.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SHOTS = `${infra.dataDir()}/screenshots`;

let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  system = await startSystem({ agents: ["S1", "S2"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "W1", perStore: { S1: 10, S2: 4 } },
      { sku: "W2", perStore: { S1: 2 } },
    ],
  );
  await system.hub.post("/v1/reservations", { storeId: "S1", lines: [{ sku: "W1", qty: 1 }] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const signedIn = async (token: string): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${system.hubUrl}/console/`);
  await page.getByLabel("Bearer token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Pages", exact: true }).waitFor();
  return page;
};
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

describe("the operator console", () => {
  let page: Page;

  it("signs in, finds a SKU, and shows its per-store rows with versions and its events timeline", async () => {
    page = await signedIn(tokenFor("operator", { subject: "head-office-ann" }));
    await page.getByText("head-office-ann (operator)").waitFor();
    await page.getByRole("link", { name: "Stock" }).click();
    await page.getByLabel("SKU or name").fill("W1");
    await page.getByRole("button", { name: "W1", exact: true }).click();
    const s1 = page.locator('table[aria-label="Per-store stock of W1"] tr[data-store="S1"]');
    await expect.poll(() => s1.locator('[data-field="onHand"]').textContent()).toBe("10");
    expect(await page.locator('table[aria-label="Per-store stock of W1"] tr[data-store="S2"] [data-field="onHand"]').textContent()).toBe(
      "4",
    );
    const timeline = page.locator('table[aria-label="Events of W1"] tbody tr');
    await expect.poll(() => timeline.count()).toBeGreaterThanOrEqual(3);
    expect(await timeline.first().textContent()).toContain("StockReserved");
    await shot(page, "stock");
  }, 60_000);

  it("shows a write made through the API without a reload", async () => {
    const before = await page.locator('tr[data-store="S1"] [data-field="version"]').textContent();
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
    const sent = Date.now();
    const write = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "W1", delta: 5, reason: "restock" });
    expect(write.status).toBe(202);
    await expect
      .poll(() => page.locator('tr[data-store="S1"] [data-field="onHand"]').textContent(), { timeout: 10_000, interval: 50 })
      .toBe("15");
    console.log(`console: an API write appeared on the stock page ${Date.now() - sent} ms after it was sent (polling every 1 s with ETag)`);
    expect(Number(await page.locator('tr[data-store="S1"] [data-field="version"]').textContent())).toBe(Number(before) + 1);
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
  }, 30_000);

  it("shows the fleet, and an agent that stops turns UNREACHABLE", async () => {
    await page.getByRole("link", { name: "Fleet" }).click();
    const s2 = page.locator('tr[data-projection="agent-S2"] [data-testid="state"]');
    await expect.poll(() => s2.textContent()).toBe("RUNNING");
    await shot(page, "fleet");
    await system.stopAgent("S2");
    const stopped = Date.now();
    await expect.poll(() => s2.textContent(), { timeout: 30_000, interval: 250 }).toBe("UNREACHABLE");
    console.log(`console: agent-S2 shown UNREACHABLE ${Date.now() - stopped} ms after it stopped`);
    expect(await page.locator('tr[data-projection="agent-S1"] [data-testid="state"]').textContent()).toBe("RUNNING");
    expect(await page.locator('tr[data-projection="agent-S1"] [data-testid="breaker"]').textContent()).toBe("CLOSED");
    await page.getByRole("button", { name: "agent-S1" }).click();
    await page.getByRole("img", { name: /Lag since this page opened/ }).waitFor();
    await shot(page, "fleet-unreachable");
  }, 60_000);

  it("lists reservations with their filters", async () => {
    await page.getByRole("link", { name: "Reservations" }).click();
    await page.getByLabel("Status").selectOption("CREATED");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    expect(await page.locator("tbody tr").first().textContent()).toContain("W1×1");
    await shot(page, "reservations");
  }, 30_000);

  it("is usable from the keyboard: skip link first, then the pages, then a tablet-sized window", async () => {
    await page.reload();
    await page.getByRole("navigation", { name: "Pages", exact: true }).waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("Skip to content");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
    expect(await focused()).toBe("Transfers");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Transfers", level: 1 }).waitFor();
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByText("Nothing matches.").waitFor();
    await shot(page, "transfers-tablet");
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 30_000);

  it("inspects a dead letter and replays it after a confirmation", async () => {
    const kafka = createKafka({ brokers: [system.kafkaBrokers], clientId: "e2e-console" }, silentLogger);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${system.topicPrefix}stock.events.dlt`,
      messages: [{ key: "CONSOLE", value: JSON.stringify(storeRegisteredEvent("CONSOLE", "From the console", "console-replay")) }],
    });
    await producer.disconnect();
    await page.getByRole("link", { name: "Operations" }).click();
    const row = page.locator('tr[data-key="CONSOLE"]');
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole("button", { name: "Inspect" }).click();
    expect(await page.getByLabel("Payload").textContent()).toContain("From the console");
    await shot(page, "operations");
    await row.getByRole("button", { name: "Replay" }).click();
    await page.getByRole("button", { name: "Yes, replay" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Replayed 1");
    await eventually(async () => {
      const stores = await system.hub.get("/v1/stores");
      expect(stores.body.items.map((s: { storeId: string }) => s.storeId)).toContain("CONSOLE");
    });
    await expect.poll(() => row.count()).toBe(0);
  }, 60_000);

  it("disables what a back-office token may not do, and shows the hub's refusal as what it means", async () => {
    const backoffice = await signedIn(tokenFor("backoffice"));
    await backoffice.getByRole("link", { name: "Operations" }).click();
    await backoffice.getByRole("note").waitFor();
    expect(await backoffice.getByRole("button", { name: "Rebuild" }).isDisabled()).toBe(true);
    const refusal = backoffice.getByRole("alert").first();
    await expect.poll(() => refusal.textContent()).toContain("Your role does not allow this");
    expect(await refusal.textContent()).toContain("(403 FORBIDDEN)");
    await shot(backoffice, "refused");
    await backoffice.getByRole("link", { name: "Stock" }).click();
    await backoffice.getByRole("button", { name: "W2", exact: true }).click();
    await backoffice.getByText("The events timeline needs an operator's or admin's token.").waitFor();
  }, 60_000);
});

describe("serving /console", () => {
  it("caches hashed assets for a year and revalidates the page by ETag", async () => {
    const pageRes = await fetch(`${system.hubUrl}/console/`, { signal: AbortSignal.timeout(5000) });
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get("cache-control")).toBe("no-cache");
    const html = await pageRes.text();
    expect(html).not.toContain("inventory-dev-token");
    const etag = pageRes.headers.get("etag")!;
    expect(
      (await fetch(`${system.hubUrl}/console/`, { headers: { "If-None-Match": etag }, signal: AbortSignal.timeout(5000) })).status,
    ).toBe(304);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${system.hubUrl}${script}`, { signal: AbortSignal.timeout(5000) });
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect((await fetch(`${system.hubUrl}/console/assets/nope.js`, { signal: AbortSignal.timeout(5000) })).status).toBe(404);
    expect((await fetch(`${system.hubUrl}/console/assets/nope`, { signal: AbortSignal.timeout(5000) })).status).toBe(404);
    expect((await fetch(`${system.hubUrl}/console/fleet`, { signal: AbortSignal.timeout(5000) })).headers.get("content-type")).toContain(
      "text/html",
    );
  });
});

describe("live updates by polling with ETag", () => {
  const hubCpuSeconds = async () => {
    const text = (await system.hub.get("/metrics")).body as string;
    return Number(/^inventory_process_cpu_seconds_total\{[^}]*\} ([\d.e+-]+)$/m.exec(text)![1]);
  };
  const poll = async (count: number, etag?: string) => {
    const started = performance.now();
    const cpu = await hubCpuSeconds();
    let bytes = 0;
    const statuses = new Set<number>();
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${system.hubUrl}/v1/items/W1/availability`, {
        headers: etag ? { "If-None-Match": etag } : {},
        signal: AbortSignal.timeout(5000),
      });
      bytes += (await res.arrayBuffer()).byteLength;
      statuses.add(res.status);
    }
    return {
      statuses: [...statuses],
      bytes: bytes / count,
      ms: (performance.now() - started) / count,
      cpuUs: (((await hubCpuSeconds()) - cpu) * 1e6) / count,
    };
  };

  it("an unchanged read answers 304 with no body; what a poll costs the hub is measured", async () => {
    const first = await fetch(`${system.hubUrl}/v1/items/W1/availability`, { signal: AbortSignal.timeout(5000) });
    const etag = first.headers.get("etag")!;
    const full = await poll(300);
    const unchanged = await poll(300, etag);
    expect(full.statuses).toEqual([200]);
    expect(unchanged.statuses).toEqual([304]);
    expect(unchanged.bytes).toBe(0);
    console.log(
      `console polling: 200 ${full.bytes.toFixed(0)} B, ${full.ms.toFixed(2)} ms, hub CPU ${full.cpuUs.toFixed(0)} µs per read; ` +
        `304 ${unchanged.bytes} B, ${unchanged.ms.toFixed(2)} ms, hub CPU ${unchanged.cpuUs.toFixed(0)} µs per read (300 sequential each)`,
    );
  });
});
