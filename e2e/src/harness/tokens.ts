import { DEV_SIGNING_SECRET } from "@inventory/platform";
import { signHs256Token, type Role } from "@inventory/shared";

/** A token as the identity provider of a development site would issue it. */
export const tokenFor = (role: Role, options: { stores?: string[]; subject?: string; expiresInSeconds?: number; secret?: string } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return signHs256Token(
    {
      sub: options.subject ?? `test-${role}`,
      aud: "inventory",
      iat: now,
      exp: now + (options.expiresInSeconds ?? 600),
      roles: [role],
      stores: options.stores ?? [],
    },
    options.secret ?? DEV_SIGNING_SECRET,
  );
};
