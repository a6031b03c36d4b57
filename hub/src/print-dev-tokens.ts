#!/usr/bin/env node
/**
 * Prints development tokens, one per role, signed with the development secret (or AUTH_JWT_SECRET).
 * `node hub/dist/print-dev-tokens.js [role] [--stores S1,S2] [--hours 12]`
 */
import { DEV_SIGNING_SECRET } from "@inventory/platform";
import { ROLES, signHs256Token, type Role } from "@inventory/shared";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const role = args.find((a) => !a.startsWith("--") && (ROLES as readonly string[]).includes(a)) as Role | undefined;
const stores = (option("--stores") ?? "S1").split(",").filter(Boolean);
const hours = Number(option("--hours") ?? 12);
const secret = process.env.AUTH_JWT_SECRET ?? DEV_SIGNING_SECRET;
const now = Math.floor(Date.now() / 1000);

const tokenFor = (r: Role) =>
  signHs256Token(
    {
      sub: `dev-${r}`,
      aud: process.env.AUTH_AUDIENCE ?? "inventory",
      iat: now,
      exp: now + hours * 3600,
      roles: [r],
      stores: r === "clerk" || r === "agent" ? stores : [],
    },
    secret,
  );

if (role) console.log(tokenFor(role));
else for (const r of ROLES) console.log(`${r.padEnd(10)} ${tokenFor(r)}`);
