import { EXIT, type ExitCode } from "./exit-codes.js";

/** Why a command could not do what was asked; each kind has one exit code. */
export type CliFailureKind = "usage" | "refused" | "unavailable" | "failed";

/** An expected failure as a value: the CLI prints `message` and exits with the kind's code. */
export interface CliFailure {
  readonly kind: CliFailureKind;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export const cliFailure = (kind: CliFailureKind, message: string, details?: Record<string, unknown>): CliFailure =>
  details === undefined ? { kind, message } : { kind, message, details };

const KINDS: readonly string[] = ["usage", "refused", "unavailable", "failed"];

export const isCliFailure = (value: unknown): value is CliFailure =>
  typeof value === "object" &&
  value !== null &&
  KINDS.includes((value as { kind?: unknown }).kind as string) &&
  typeof (value as { message?: unknown }).message === "string";

export const exitCodeOf = (kind: CliFailureKind): ExitCode => EXIT[kind];
