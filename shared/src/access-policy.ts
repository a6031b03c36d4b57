import { failure, type Failure } from "./errors.js";

export const ROLES = ["clerk", "ecommerce", "backoffice", "operator", "admin", "agent"] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as their token says. `stores` limits a clerk to the stores they work in. */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly stores: readonly string[];
}

/** Everything a caller can ask the hub to do. */
export type Action =
  | "stock:adjust"
  | "stock:recount"
  | "reservation:write"
  | "purchase"
  | "catalog:write"
  | "reconciliation"
  | "transfer:create"
  | "transfer:receive"
  | "operations"
  | "webhooks:manage"
  | "projection:report";

/**
 * Which roles may do what. Roles marked `own-stores` may act only on the stores in their token.
 * - clerk: stock commands and reservations at their own stores (and receiving transfers into them);
 * - ecommerce: reservations and purchases at any store, no recounts;
 * - backoffice: recounts, reconciliations, transfers, stores and products;
 * - operator: the operations endpoints and the webhook subscriptions;
 * - admin: everything;
 * - agent: a store's edge agent reporting its replica's status (a machine credential, nothing else).
 */
const GRANTS: Record<Action, Partial<Record<Role, "any-store" | "own-stores">>> = {
  "stock:adjust": { clerk: "own-stores", backoffice: "any-store" },
  "stock:recount": { clerk: "own-stores", backoffice: "any-store" },
  "reservation:write": { clerk: "own-stores", ecommerce: "any-store" },
  purchase: { ecommerce: "any-store" },
  "catalog:write": { backoffice: "any-store" },
  reconciliation: { backoffice: "any-store" },
  "transfer:create": { backoffice: "any-store" },
  "transfer:receive": { clerk: "own-stores", backoffice: "any-store" },
  operations: { operator: "any-store" },
  "webhooks:manage": { operator: "any-store" },
  "projection:report": { agent: "own-stores" },
};

/**
 * May `principal` do `action` at `storeId`? Pass no storeId when the store is not known yet; call again
 * once it is (a reservation's store is known only after it is loaded).
 */
export const authorize = (principal: Principal, action: Action, storeId?: string): Failure | undefined => {
  if (principal.roles.includes("admin")) return undefined;
  const scopes = principal.roles.map((role) => GRANTS[action][role]).filter((s) => s !== undefined);
  if (scopes.length === 0) {
    return failure("FORBIDDEN", `roles ${principal.roles.join(", ") || "(none)"} may not ${action}`, { action });
  }
  if (scopes.includes("any-store") || storeId === undefined || principal.stores.includes(storeId)) return undefined;
  return failure("FORBIDDEN", `not allowed at store ${storeId}`, { action, storeId });
};
