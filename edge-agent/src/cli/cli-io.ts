import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { createInterface } from "node:readline/promises";
import { cliFailure, type CliFailure } from "./cli-failure.js";
import { decodeText } from "./decode-text.js";

/** Everything the commands do to the outside world other than HTTP, so they can be driven from tests. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Writes text to stdout as it is. */
  out(text: string): void;
  /** Writes text to stderr as it is. */
  err(text: string): void;
  /** A file's text, or stdin's when `path` is "-"; UTF-8, or UTF-16 when the file starts with its byte order mark. */
  readText(path: string): Promise<string | CliFailure>;
  /** A file's text, or undefined when it does not exist. */
  readOptionalFile(path: string): Promise<string | undefined | CliFailure>;
  /** Asks on stderr and reads one answer from the terminal; only "y" or "yes" is a yes. */
  confirm(question: string): Promise<boolean>;
  now(): Date;
  newId(): string;
  sleep(ms: number): Promise<void>;
}

const readStdin = async (): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
};

const fileProblem = (path: string, err: unknown) => {
  const code = (err as { code?: string }).code;
  const why =
    code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String(err);
  return cliFailure("usage", `cannot read ${path}: ${why}`);
};

const write = (stream: NodeJS.WriteStream) => (text: string) => {
  try {
    stream.write(text);
  } catch {
    /* a closed pipe (| head): nothing more to say */
  }
};

export const nodeIo = (): CliIo => {
  process.stdout.on("error", () => undefined);
  return {
    env: process.env,
    homeDir: homedir(),
    stdinIsTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    out: write(process.stdout),
    err: write(process.stderr),
    readText: async (path) => {
      try {
        return decodeText(path === "-" ? await readStdin() : await readFile(path));
      } catch (err) {
        return fileProblem(path, err);
      }
    },
    readOptionalFile: async (path) => {
      try {
        return await readFile(path, "utf8");
      } catch (err) {
        return (err as { code?: string }).code === "ENOENT" ? undefined : fileProblem(path, err);
      }
    },
    confirm: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const closed = new Promise<string>((resolve) => rl.once("close", () => resolve("")));
      try {
        const answer = await Promise.race([rl.question(question), closed]);
        return /^\s*y(es)?\s*$/i.test(answer);
      } finally {
        rl.close();
      }
    },
    now: () => new Date(),
    newId: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
};
