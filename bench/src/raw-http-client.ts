import { connect, type Socket } from "node:net";

export interface RawRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export type RawOutcome = { readonly status: number } | { readonly failed: "error" | "timeout" };

export interface RawHttpPool {
  /** Sends on the first idle connection, or waits for one; resolves with the status once the whole answer is read. */
  send(request: RawRequest): Promise<RawOutcome>;
  close(): void;
}

interface Pending {
  readonly bytes: Buffer;
  readonly resolve: (outcome: RawOutcome) => void;
}

/** Where an answer ends in `buffer` (offset past its last byte) and its status; undefined while incomplete. */
export const parseAnswer = (buffer: Buffer): { status: number; end: number; close: boolean } | undefined => {
  const headEnd = buffer.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const head = buffer.toString("latin1", 0, headEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection: *close/.test(head);
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  const bodyStart = headEnd + 4;
  if (length) {
    const end = bodyStart + Number(length[1]);
    return buffer.length >= end ? { status, end, close } : undefined;
  }
  if (!/\r\ntransfer-encoding: *chunked/.test(head))
    return status === 204 || status === 304 ? { status, end: bodyStart, close } : undefined;
  let at = bodyStart;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buffer.toString("latin1", at, lineEnd), 16);
    const next = lineEnd + 2 + size + 2;
    if (buffer.length < next) return undefined;
    if (size === 0) return { status, end: next, close };
    at = next;
  }
};

/**
 * A load generator's HTTP/1.1 client: keep-alive sockets that each carry one request at a time, requests
 * written as one prepared buffer and answers parsed only as far as status and length. It costs a fraction of
 * node:http's client per request, so at a fixed rate the latencies are the server's rather than the
 * generator's own event loop.
 */
export const createRawHttpPool = (url: string, connections: number, timeoutMs: number): RawHttpPool => {
  const target = new URL(url);
  const port = Number(target.port);
  const host = `${target.hostname}:${port}`;
  const queue: Pending[] = [];
  /** Each idle connection, as the function that gives it the queue's next request. */
  const idle: Array<() => void> = [];
  const sockets = new Set<Socket>();
  let open = 0;
  let closed = false;

  const encode = (r: RawRequest) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    let head = `${r.method} ${r.path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(r.headers ?? {})) head += `${name}: ${value}\r\n`;
    if (body) head += `content-type: application/json\r\ncontent-length: ${body.length}\r\n`;
    head += "\r\n";
    return body ? Buffer.concat([Buffer.from(head, "latin1"), body]) : Buffer.from(head, "latin1");
  };

  const openSocket = () => {
    open += 1;
    const socket = connect({ host: target.hostname, port, noDelay: true });
    sockets.add(socket);
    let buffer: Buffer = Buffer.alloc(0);
    let current: Pending | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: RawOutcome) => {
      clearTimeout(timer);
      const done = current;
      current = undefined;
      done?.resolve(outcome);
    };
    const fail = (failed: "error" | "timeout") => {
      finish({ failed });
      socket.destroy();
    };
    const take = () => {
      const pending = queue.shift();
      if (pending === undefined) {
        idle.push(take);
        return;
      }
      current = pending;
      timer = setTimeout(() => fail("timeout"), timeoutMs);
      socket.write(pending.bytes);
    };
    let connected = false;
    socket.on("connect", () => {
      connected = true;
      take();
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const answer = parseAnswer(buffer);
      if (answer === undefined) return;
      buffer = buffer.subarray(answer.end);
      finish({ status: answer.status });
      if (answer.close) socket.destroy();
      else if (!closed) take();
    });
    socket.on("error", () => fail("error"));
    socket.on("close", () => {
      finish({ failed: "error" });
      open -= 1;
      sockets.delete(socket);
      const at = idle.indexOf(take);
      if (at >= 0) idle.splice(at, 1);
      // A connection refused costs the request that asked for it, so a server that is down is not retried in a loop.
      if (!connected) queue.shift()?.resolve({ failed: "error" });
      if (!closed && queue.length > 0) openSocket();
    });
  };

  return {
    send: (request) =>
      new Promise((resolve) => {
        queue.push({ bytes: encode(request), resolve });
        const take = idle.pop();
        if (take) take();
        else if (open < connections) openSocket();
      }),
    close: () => {
      closed = true;
      idle.length = 0;
      for (const socket of sockets) socket.destroy();
      for (const pending of queue.splice(0)) pending.resolve({ failed: "error" });
    },
  };
};
