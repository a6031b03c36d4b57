import { EXIT, type ExitCode } from "./exit-codes.js";
import type { DiffLine } from "./recount-diff.js";

/** What became of one counted line. */
export type LineOutcome =
  | { readonly status: "applied"; readonly onHand: number }
  | { readonly status: "already-applied" }
  | { readonly status: "unchanged" }
  | { readonly status: "refused"; readonly code: string; readonly message: string }
  | { readonly status: "not-sent"; readonly message: string }
  | { readonly status: "dry-run" };

export type LineResult = DiffLine & { readonly outcome: LineOutcome };

export interface RecountSummary {
  readonly applied: number;
  readonly alreadyApplied: number;
  readonly unchanged: number;
  readonly refused: number;
  readonly notSent: number;
}

export const summariseRecount = (results: readonly LineResult[]): RecountSummary => {
  const count = (status: LineOutcome["status"]) => results.filter((r) => r.outcome.status === status).length;
  return {
    applied: count("applied"),
    alreadyApplied: count("already-applied"),
    unchanged: count("unchanged"),
    refused: count("refused"),
    notSent: count("not-sent"),
  };
};

/** Unsent lines matter most (the count must be re-run), then refused ones. */
export const recountExitCode = (summary: RecountSummary): ExitCode =>
  summary.notSent > 0 ? EXIT.unavailable : summary.refused > 0 ? EXIT.refused : EXIT.ok;
