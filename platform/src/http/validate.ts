import type { Context } from "hono";
import type { z } from "zod";
import { failure, type Failure } from "@inventory/shared";

const validationFailure = (where: string, error: z.ZodError): Failure =>
  failure("VALIDATION_ERROR", `invalid ${where}: ${error.issues.map((i) => `${i.path.join(".") || where}: ${i.message}`).join("; ")}`, {
    issues: error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
  });

/** Reads and validates a JSON body. Malformed JSON, a non-JSON content type and schema violations are 400s. */
export const parseJsonBody = async <S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S> | Failure> => {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    return failure("UNSUPPORTED_MEDIA_TYPE", "send the body as Content-Type: application/json");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    return failure("VALIDATION_ERROR", "body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : validationFailure("body", parsed.error);
};

export const parseQuery = <S extends z.ZodType>(c: Context, schema: S): z.infer<S> | Failure => {
  const parsed = schema.safeParse(c.req.query());
  return parsed.success ? parsed.data : validationFailure("query", parsed.error);
};

export const parseParam = <S extends z.ZodType>(value: string, name: string, schema: S): z.infer<S> | Failure => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : validationFailure(name, parsed.error);
};
