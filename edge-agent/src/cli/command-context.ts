import type { ApiClient } from "./api-client.js";
import { cliFailure, type CliFailure } from "./cli-failure.js";
import type { CliIo } from "./cli-io.js";
import type { ExitCode } from "./exit-codes.js";
import type { CliConfig } from "./resolve-config.js";

/** What every command runs with, wired once per invocation. */
export interface CommandContext {
  readonly config: CliConfig;
  readonly api: ApiClient;
  readonly io: CliIo;
  /** --json: one JSON document on stdout instead of tables. */
  readonly json: boolean;
}

/** A command that ran to the end: its exit code, and what to print in each output mode. */
export interface Done {
  readonly exitCode: ExitCode;
  readonly json?: unknown;
  readonly text?: string;
  /** Printed on stderr in both modes: what went wrong and what to do about it. */
  readonly warning?: string;
}

export const requireStore = (config: CliConfig): string | CliFailure =>
  config.storeId ?? cliFailure("usage", 'which store? Pass --store <id>, set INVENTORY_STORE, or put "store" in the config file');

export const requireToken = (config: CliConfig): string | CliFailure =>
  config.token ??
  cliFailure("usage", 'this command changes stock and needs a token: pass --token, set INVENTORY_TOKEN, or put "token" in the config file');
