import type { CliIo } from "./cli-io.js";
import { renderProgress } from "./progress-bar.js";

export interface Progress {
  update(done: number): void;
  finish(): void;
}

const silent: Progress = { update: () => undefined, finish: () => undefined };

/** A progress bar redrawn in place on stderr, only when stderr is a terminal (never in logs or pipes). */
export const startProgress = (io: CliIo, total: number, label: string): Progress => {
  if (!io.stderrIsTTY || total <= 0) return silent;
  let last = "";
  const draw = (done: number) => {
    const frame = renderProgress(done, total, 30, label);
    if (frame === last) return;
    last = frame;
    io.err(`\r\x1b[2K${frame}`);
  };
  draw(0);
  return {
    update: draw,
    finish: () => {
      if (last) io.err("\r\x1b[2K");
    },
  };
};
