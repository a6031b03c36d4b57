import { available, type AvailabilityResponse, type AvailabilityView } from "@inventory/shared";

/** A replica row with the agent's journaled sales not yet seen from the hub applied on top, and marked so. */
export type ProvisionalView = AvailabilityView & { readonly provisional?: true };

/**
 * The agent's own store's rows, with `unseenDelta(row)` units the hub has not confirmed yet added. Rows with
 * nothing pending stay as the replica holds them; totalAvailable is recounted the same way as the replica's.
 */
export const withProvisional = (
  response: AvailabilityResponse,
  unseenDelta: (row: AvailabilityView) => number,
): { response: AvailabilityResponse & { perStore: ProvisionalView[] }; provisional: boolean } => {
  let provisional = false;
  const perStore = response.perStore.map((row): ProvisionalView => {
    const delta = unseenDelta(row);
    if (delta === 0) return row;
    provisional = true;
    const onHand = row.onHand + delta;
    return { ...row, onHand, available: available({ onHand, reserved: row.reserved }), provisional: true };
  });
  if (!provisional) return { response, provisional };
  const totalAvailable = perStore.reduce((sum, row) => sum + Math.max(row.available, 0), 0);
  return { response: { ...response, totalAvailable, perStore }, provisional };
};
