import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRawHttpPool, parseAnswer } from "./raw-http-client.js";

describe("parseAnswer", () => {
  it("given an answer with a length split over reads, when parsed, then it ends only once the body is whole", () => {
    const whole = Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    expect(parseAnswer(whole.subarray(0, whole.length - 1))).toBeUndefined();
    expect(parseAnswer(whole)).toEqual({ status: 200, end: whole.length, close: false });
  });

  it("given a chunked answer followed by the next one, when parsed, then it ends after the last chunk", () => {
    const first = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    const parsed = parseAnswer(Buffer.from(`${first}HTTP/1.1 200 OK\r\n`));
    expect(parsed).toEqual({ status: 201, end: first.length, close: true });
  });

  it("given a 304 with neither length nor chunks, when parsed, then it has no body", () => {
    const head = "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n";
    expect(parseAnswer(Buffer.from(head))).toEqual({ status: 304, end: head.length, close: false });
  });
});

describe("the raw keep-alive pool against node:http", () => {
  let server: Server;
  let url: string;
  const seen: { method: string; url: string; body: string; socket: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, body, socket: req.socket });
        if (req.url === "/slow") return;
        if (req.url === "/chunked") {
          res.write("part one ");
          res.end("part two");
          return;
        }
        if (req.url === "/close") res.setHeader("connection", "close");
        res.statusCode = req.method === "POST" ? 201 : 200;
        res.end(JSON.stringify({ path: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("given many requests over two connections, when sent, then each is answered and the sockets are reused", async () => {
    seen.length = 0;
    const pool = createRawHttpPool(url, 2, 5_000);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.send({ method: "GET", path: `/a?i=${i}` })));
    const chunked = await pool.send({ method: "GET", path: "/chunked" });
    const posted = await pool.send({ method: "POST", path: "/w", body: '{"q":1}', headers: { "idempotency-key": "k" } });
    pool.close();
    expect(outcomes.every((o) => "status" in o && o.status === 200)).toBe(true);
    expect(chunked).toEqual({ status: 200 });
    expect(posted).toEqual({ status: 201 });
    expect(seen.find((s) => s.method === "POST")?.body).toBe('{"q":1}');
    expect(new Set(seen.map((s) => s.socket)).size).toBe(2);
  });

  it("given an answer that closes its connection, when more follow, then a new connection carries them", async () => {
    seen.length = 0;
    const pool = createRawHttpPool(url, 1, 5_000);
    const outcomes = [await pool.send({ method: "GET", path: "/close" }), await pool.send({ method: "GET", path: "/after" })];
    pool.close();
    expect(outcomes).toEqual([{ status: 200 }, { status: 200 }]);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(2);
  });

  it("given a server that does not answer in time, when sent, then the request times out", async () => {
    const pool = createRawHttpPool(url, 1, 100);
    const outcome = await pool.send({ method: "GET", path: "/slow" });
    pool.close();
    expect(outcome).toEqual({ failed: "timeout" });
  });

  it("given nothing listening, when sent, then the request fails without retrying forever", async () => {
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, "127.0.0.1", resolve));
    const port = (idle.address() as AddressInfo).port;
    await new Promise((resolve) => idle.close(resolve));
    const pool = createRawHttpPool(`http://127.0.0.1:${port}`, 1, 1_000);
    const outcomes = await Promise.all([pool.send({ method: "GET", path: "/" }), pool.send({ method: "GET", path: "/" })]);
    pool.close();
    expect(outcomes).toEqual([{ failed: "error" }, { failed: "error" }]);
  });
});
