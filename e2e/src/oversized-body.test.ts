import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./harness/system.js";

const MB = 1 << 20;
const drainEnv = { BODY_DRAIN_MAX_MS: "1500", BODY_DRAIN_MAX_BYTES: String(16 * MB) };
let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"], hubEnv: drainEnv, agentEnv: drainEnv });
});
afterAll(async () => {
  await system?.close();
});

const bigBody = "x".repeat(5 * MB);
const writeHeaders = { "Content-Type": "application/json", Authorization: "Bearer devtoken", "Idempotency-Key": "oversized-1" };

interface RawOutcome {
  /** Everything the server sent before it closed or the socket was given up on. */
  readonly received: string;
  /** Milliseconds from connecting to the server closing the connection. */
  readonly closedAfterMs: number;
  readonly error?: string;
}

/**
 * A raw HTTP/1.1 client: sends the head, then `body` in 64 KiB chunks as fast as the socket takes them
 * (or only after a 100 Continue when `waitForContinue`), and records what comes back until the server closes.
 */
const rawPost = (
  baseUrl: string,
  head: Record<string, string>,
  body: Buffer,
  options: { waitForContinue?: boolean; giveUpMs?: number } = {},
) =>
  new Promise<RawOutcome>((resolve) => {
    const url = new URL(baseUrl);
    const started = performance.now();
    const socket = connect(Number(url.port), url.hostname);
    let received = "";
    let error: string | undefined;
    let sent = 0;
    let sending = false;
    const sendBody = () => {
      if (sending) return;
      sending = true;
      const pump = () => {
        while (sent < body.length && !socket.destroyed) {
          const chunk = body.subarray(sent, sent + 65_536);
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      pump();
    };
    const giveUp = setTimeout(() => socket.destroy(), options.giveUpMs ?? 15_000);
    socket.on("connect", () => {
      const lines = [`POST /v1/reconciliations HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(head).map(([k, v]) => `${k}: ${v}`)];
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (!options.waitForContinue) sendBody();
    });
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (options.waitForContinue && received.startsWith("HTTP/1.1 100")) sendBody();
      // A complete final answer: stop once it is in, as a client would.
      const final = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
      const length = /content-length: (\d+)/i.exec(final);
      const headEnd = final.indexOf("\r\n\r\n");
      if (!options.giveUpMs && length && headEnd >= 0 && final.length >= headEnd + 4 + Number(length[1])) socket.end();
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on("close", () => {
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: performance.now() - started, error });
    });
  });

const services = () =>
  [
    ["hub", system.hubUrl],
    ["agent", system.agentUrl("S1")],
  ] as const;

describe("a body over the size limit reaches the client as a 413", () => {
  it("Node's fetch reads the 413 every time, at the hub and at the agent", async () => {
    for (const [, url] of services()) {
      const statuses: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${url}/v1/reconciliations`, {
          method: "POST",
          headers: writeHeaders,
          body: bigBody,
          signal: AbortSignal.timeout(15_000),
        })
          .then(async (r) => `${r.status} ${(await r.json()).code}`)
          .catch((e: Error & { cause?: { code?: string } }) => `failed ${e.cause?.code ?? e.message}`);
        statuses.push(res);
      }
      expect(statuses).toEqual(Array(5).fill("413 PAYLOAD_TOO_LARGE"));
    }
  });

  it("curl reads the 413, with and without Expect: 100-continue", async () => {
    const file = join(tmpdir(), `oversized-${process.pid}.json`);
    writeFileSync(file, bigBody);
    for (const [, url] of services()) {
      for (const expect100 of [true, false]) {
        const args = ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "15", "-X", "POST", `${url}/v1/reconciliations`];
        for (const [k, v] of Object.entries(writeHeaders)) args.push("-H", `${k}: ${v}`);
        if (!expect100) args.push("-H", "Expect:");
        args.push("--data-binary", `@${file}`);
        const { stdout } = await promisify(execFile)("curl", args);
        expect(stdout, `curl ${expect100 ? "with" : "without"} Expect`).toBe("413");
      }
    }
  });

  it("a raw client that sends the whole body reads the 413 and no reset", async () => {
    for (const [, url] of services()) {
      const outcome = await rawPost(url, { ...writeHeaders, "Content-Length": String(bigBody.length) }, Buffer.from(bigBody));
      expect(outcome.error).toBeUndefined();
      expect(outcome.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(outcome.received).toContain('"code":"PAYLOAD_TOO_LARGE"');
    }
  });

  it("answers 100 Continue only for a body within the limit", async () => {
    for (const [, url] of services()) {
      const over = await rawPost(
        url,
        { ...writeHeaders, Expect: "100-continue", "Content-Length": String(bigBody.length) },
        Buffer.from(bigBody),
        { waitForContinue: true },
      );
      expect(over.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(over.received).not.toContain("100 Continue");

      const small = Buffer.from(JSON.stringify({ storeId: "S1", snapshotOnHand: {}, unknownField: 1 }));
      const within = await rawPost(
        url,
        { ...writeHeaders, "Idempotency-Key": `within-${url}`, Expect: "100-continue", "Content-Length": String(small.length) },
        small,
        { waitForContinue: true },
      );
      expect(within.received).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 400 /);
    }
  });

  it("stops draining at the time cap and at the byte cap", async () => {
    for (const [, url] of services()) {
      // Declares 100 MiB, sends 1 KiB and stalls: closed about 1.5 s after the 413.
      const stalled = await rawPost(url, { ...writeHeaders, "Content-Length": String(100 * MB) }, Buffer.alloc(1024, 120), {
        giveUpMs: 10_000,
      });
      expect(stalled.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(stalled.closedAfterMs).toBeGreaterThan(1_000);
      expect(stalled.closedAfterMs).toBeLessThan(6_000);

      // Sends 100 MiB as fast as it can: cut off once 16 MiB have been discarded, well before the time cap.
      const flood = await rawPost(url, { ...writeHeaders, "Content-Length": String(100 * MB) }, Buffer.alloc(100 * MB, 120), {
        giveUpMs: 10_000,
      });
      expect(flood.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(flood.closedAfterMs).toBeLessThan(1_200);
    }
  });
});
