/**
 * One frame of a progress bar, e.g. `[########------------] 12/30 sending`.
 * @example renderProgress(1, 4, 8) // "[##------] 1/4"
 */
export const renderProgress = (done: number, total: number, barWidth = 30, label = ""): string => {
  const ratio = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * barWidth);
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${done}/${total}`;
  return label ? `${bar} ${label}` : bar;
};
