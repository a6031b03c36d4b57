import { classifyReply } from "../classify-reply.js";
import { cliFailure, isCliFailure, type CliFailure } from "../cli-failure.js";
import { requireToken, type CommandContext, type Done } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { replyFailure } from "../reply-failure.js";

export interface WriteRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** For messages: "adjust A1 at S1". */
  readonly action: string;
  /** --idempotency-key: repeat an earlier attempt safely. A new key otherwise. */
  readonly idempotencyKey: string | undefined;
  readonly ifVersion?: number;
  readonly view: (body: Record<string, unknown>, replayed: boolean) => string;
}

/**
 * One write through the agent. When the server cannot be reached the message gives the key to retry with,
 * so the retry is applied at most once.
 */
export const sendWrite = async (ctx: CommandContext, request: WriteRequest): Promise<Done | CliFailure> => {
  const token = requireToken(ctx.config);
  if (isCliFailure(token)) return token;
  const key = request.idempotencyKey === undefined ? ctx.io.newId() : parseIdentifierKey(request.idempotencyKey);
  if (isCliFailure(key)) return key;
  const reply = classifyReply(
    await ctx.api.post(request.path, request.body, {
      idempotencyKey: key,
      ...(request.ifVersion !== undefined ? { ifVersion: request.ifVersion } : {}),
    }),
  );
  if (reply.kind !== "ok") {
    const retryHint = `Nothing is lost: retry later with the same key, and the hub applies it at most once:\n  add --idempotency-key ${key}`;
    return replyFailure(reply, { action: request.action, retryHint }, ctx.api.baseUrl);
  }
  return {
    exitCode: EXIT.ok,
    json: { ...reply.body, replayed: reply.replayed, idempotencyKey: key },
    text: request.view(reply.body, reply.replayed),
  };
};

const parseIdentifierKey = (key: string): string | CliFailure =>
  /^[\x21-\x7e]{1,255}$/.test(key) ? key : cliFailure("usage", "--idempotency-key must be 1-255 printable ASCII characters without spaces");
