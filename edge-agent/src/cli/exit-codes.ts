/** The process exit codes of `inventory`, one per kind of outcome a script may want to tell apart. */
export const EXIT = {
  ok: 0,
  /** An answer the CLI did not expect: a server error, or an endpoint this server does not have yet. */
  failed: 1,
  /** Bad usage or bad input: an unknown option, a bad argument, a malformed CSV line, a bad config, a refused token. */
  usage: 2,
  /** The hub refused something: some recount lines, or the command itself. */
  refused: 3,
  /** The store agent or the hub could not be reached. */
  unavailable: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  unexpected answer (a server error, or a feature this server does not have yet)
  2  usage or bad input: bad option or argument, malformed CSV line, bad config file, token refused
  3  refused by the hub: some recount lines, or the command (unknown SKU, not enough stock, not allowed, ...)
  4  the store agent or the hub is unreachable: nothing is lost, safe to re-run later`;
