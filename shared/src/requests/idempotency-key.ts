import { z } from "zod";

/**
 * An Idempotency-Key: 1-255 printable ASCII characters (a UUID is the usual choice), the same rule for the
 * write endpoints' header and the operations endpoint that looks a key up.
 */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/, "Idempotency-Key must be 1-255 printable ASCII characters");
