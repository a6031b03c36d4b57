import type { Role } from "@inventory/shared";

export interface Session {
  readonly token: string;
  readonly subject: string;
  readonly roles: readonly Role[];
}

const KEY = "inventory-console-token";
/** The hub's static development token stands for an admin (it works only where ALLOW_DEV_TOKEN is set). */
const DEV_TOKEN_SUBJECT = { subject: "dev", roles: ["admin"] as Role[] };

/** Reads the claims the console needs to decide what to show; the hub checks the signature on every call. */
export const sessionFor = (token: string): Session => {
  const parts = token.split(".");
  if (parts.length !== 3) return { token, ...DEV_TOKEN_SUBJECT };
  try {
    const claims = JSON.parse(atob(parts[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown; roles?: unknown };
    return {
      token,
      subject: typeof claims.sub === "string" ? claims.sub : "?",
      roles: Array.isArray(claims.roles) ? (claims.roles.filter((r) => typeof r === "string") as Role[]) : [],
    };
  } catch {
    return { token, subject: "?", roles: [] };
  }
};

/** Operators and admins may use the operations endpoints (shared/src/access-policy.ts). */
export const mayOperate = (session: Session | null) => !!session && (session.roles.includes("operator") || session.roles.includes("admin"));

export const storedToken = () => sessionStorage.getItem(KEY);
export const storeToken = (token: string | null) => (token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY));

/** `npm run dev` has the hub put its development token in the page, so the console opens signed in. */
export const devSignInToken = () => document.querySelector<HTMLMetaElement>('meta[name="inventory-dev-token"]')?.content || null;
