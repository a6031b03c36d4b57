import { readdirSync, readFileSync } from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

/** Where a sampled frame's code comes from: a package in node_modules, a workspace package's build, Node itself, or V8. */
const origin = (url: string, functionName: string): string => {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const workspace = /\/(hub|edge-agent|read-model|platform|shared)\/dist\//.exec(url);
  if (workspace) return `@inventory/${workspace[1]}`;
  if (url.startsWith("node:")) return "node internals";
  return url;
};

const share = (counts: Map<string, number>, total: number, top: number) =>
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, n]) => ({ name, pct: Math.round((n / total) * 1000) / 10 }));

/**
 * Self time of a V8 CPU profile (`node --cpu-prof`), by origin and by function: where a process spends
 * its CPU, so a figure that misses its goal names its limit from a measurement. `(idle)` is time waiting.
 */
export const summarizeProfile = (path: string, top = 12) => {
  const profile = JSON.parse(readFileSync(path, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id)!.callFrame;
    const from = origin(frame.url, frame.functionName);
    byOrigin.set(from, (byOrigin.get(from) ?? 0) + 1);
    const fn = `${frame.functionName || "(anonymous)"} ${from}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return { samples: total, byOrigin: share(byOrigin, total, top), byFunction: share(byFunction, total, top) };
};

/** Summaries of every profile a process left in `dir` (one per process run), keyed by file name. */
export const summarizeProfiles = (dir: string) => {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  } catch {
    return {};
  }
  return Object.fromEntries(files.map((f) => [f, summarizeProfile(`${dir}/${f}`)]));
};
