import { DEFAULT_AGENT_URL, DEFAULT_TIMEOUT_MS } from "./resolve-config.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";

export const example = (...lines: string[]) => `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;

export const SEE_MAIN_HELP = "\nSettings (--agent, --store, --token) and exit codes: inventory --help\n";

export const MAIN_HELP = `${example(
  "inventory --store S1 availability A1",
  "inventory --store S1 recount counts.csv",
  "inventory --store S1 recount - --yes --json < counts.csv",
)}
Settings: the first place that has one wins: flag, then environment, then config file, then default.
  flag           environment            config file key  default
  --agent        INVENTORY_AGENT_URL    agent            ${DEFAULT_AGENT_URL}
  --store        INVENTORY_STORE        store            (none)
  --token        INVENTORY_TOKEN        token            (none; writes need it)
  --timeout-ms   INVENTORY_TIMEOUT_MS   timeoutMs        ${DEFAULT_TIMEOUT_MS}
Config file: $INVENTORY_CONFIG if set, else $XDG_CONFIG_HOME/inventory/config.json, else
~/.config/inventory/config.json; a JSON object such as {"store": "S1", "token": "..."}.

${EXIT_CODES_HELP}
`;

export const RECOUNT_HELP = `
The file has one "sku,onHand" per line, or any columns under a header that names a "sku" and
an "onHand" (or count, qty) column, as a till's export does ("sku,name,onHand"). Columns are
separated by commas, semicolons or tabs; fields may be quoted ("Shirt, ""blue"""). UTF-8, or
UTF-16 with its byte order mark. Blank lines and lines starting with # are ignored. A bad line
stops the count before anything is sent, naming its line number.

The count is compared with this store's replica first and the differences are shown; then
it asks before sending (--yes skips the question; without a terminal --yes is required).
Lines equal to the replica are not sent. Each line is sent with an idempotency key derived
from the count reference, store, SKU and count, so running the same count again (after a
dropped connection, say) never applies a line twice. Counts of --batch-threshold lines or
more go to the hub as one reconciliation when the hub offers it.
${example(
  "inventory --store S1 recount counts.csv",
  "inventory --store S1 recount counts.csv --dry-run",
  "scanner-export | inventory --store S1 recount - --yes --count-ref aisle-7-2025-01-31",
)}
${EXIT_CODES_HELP}
`;
