import { z } from "zod";

/** A request the peer wrapper refuses: a 4xx that changes nothing. */
export interface BadInput {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

const id = z.string().min(1).max(200);
const units = z.number().int().min(1).max(1_000_000_000);

const reservation = z.strictObject({
  inventoryItemId: id,
  locationId: id,
  quantity: units,
  lineItemId: id.optional(),
  /** Hold Medusa's Locking module lock on the item around createReservationItems, as its cart completion does. */
  lock: z.boolean(),
});

const adjustment = z.strictObject({
  inventoryItemId: id,
  locationId: id,
  adjustment: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((n) => n !== 0, "adjustment must not be 0"),
});

const setup = z.strictObject({
  items: z
    .array(
      z.strictObject({
        sku: id,
        levels: z
          .array(z.strictObject({ locationId: id, stockedQuantity: z.number().int().min(0).max(1_000_000_000) }))
          .min(1)
          .max(10),
      }),
    )
    .min(1)
    .max(5_000),
});

const parse =
  <T>(schema: z.ZodType<T>) =>
  (body: unknown): T => {
    const result = schema.safeParse(body);
    if (!result.success)
      throw {
        status: 400,
        code: "VALIDATION_FAILED",
        message: result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      } satisfies BadInput;
    return result.data;
  };

export const parseReservation = parse(reservation);
export const parseAdjustment = parse(adjustment);
export const parseSetup = parse(setup);
