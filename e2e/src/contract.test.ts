import { execFile, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, infra } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

/**
 * openapi.yaml as a regression test: schemathesis generates requests from the contract (valid and invalid ones)
 * and checks every answer against it, at the hub and at an edge agent. Settings, checks and the known limits of
 * the contract are in e2e/schemathesis/schemathesis.toml; e2e/schemathesis/install.sh installs the pinned
 * schemathesis (python3 from PATH, PyPI) into .data/venv-schemathesis the first time.
 */
const SCHEMATHESIS_DIR = `${REPO_ROOT}e2e/schemathesis`;
const RUN_TIMEOUT_MS = 150_000;

let system: TestSystem;
let schemathesis: string;

beforeAll(async () => {
  const install = await promisify(execFile)("bash", [`${SCHEMATHESIS_DIR}/install.sh`], { env: process.env, timeout: 170_000 });
  schemathesis = install.stdout.trim().split("\n").pop()!;
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(
    system,
    ["S1", "S2"],
    [
      { sku: "A1", perStore: { S1: 100, S2: 40 } },
      { sku: "B2", perStore: { S1: 5 } },
    ],
  );
}, 180_000);
afterAll(() => system?.close());

interface RunReport {
  exitCode: number | null;
  seconds: number;
  report: {
    operations: { selected: number; tested: number; errored: number; skipped: number };
    test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
    failures: unknown[];
  };
  logFile: string;
}

/** Runs schemathesis against one process with an admin's token; its output goes to the test log directory. */
const runSchemathesis = async (name: string, url: string): Promise<RunReport> => {
  const workDir = `${infra.dataDir()}/schemathesis-${name}`;
  mkdirSync(workDir, { recursive: true });
  const reportFile = `${workDir}/report.json`;
  const logFile = `${infra.logDir()}/schemathesis-${name}.log`;
  const log = createWriteStream(logFile);
  const started = performance.now();
  const child = spawn(
    schemathesis,
    [
      "--config-file",
      `${SCHEMATHESIS_DIR}/schemathesis.toml`,
      "run",
      `${REPO_ROOT}openapi.yaml`,
      "--url",
      url,
      "--no-color",
      "--report",
      "json",
      "--report-json-path",
      reportFile,
    ],
    {
      // Its own working directory: schemathesis and hypothesis keep files next to where they run.
      cwd: workDir,
      env: { ...process.env, CONTRACT_TOKEN: tokenFor("admin"), SCHEMATHESIS_HOOKS: `${SCHEMATHESIS_DIR}/hooks.py`, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const killer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS - 5_000);
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  clearTimeout(killer);
  await new Promise((resolve) => log.end(resolve));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  let report: RunReport["report"];
  try {
    report = JSON.parse(readFileSync(reportFile, "utf8"));
  } catch {
    throw new Error(`schemathesis (${name}) exited ${exitCode} without a report:\n${readFileSync(logFile, "utf8").slice(-4000)}`);
  }
  return { exitCode, seconds, report, logFile };
};

const summary = (name: string, run: RunReport) => {
  const { operations: ops, test_cases: cases } = run.report;
  return (
    `schemathesis ${name}: exit ${run.exitCode} in ${run.seconds} s; operations ${ops.tested}/${ops.selected} tested` +
    ` (${ops.errored} errored, ${ops.skipped} skipped); test cases ${cases.generated} generated, ${cases.with_failures} failed` +
    ` (${cases.unique_failures} unique), ${cases.errored} errored; output in ${run.logFile}`
  );
};

describe("the contract (openapi.yaml) holds", () => {
  const targets: [string, () => string][] = [
    ["hub", () => system.hubUrl],
    ["agent S1", () => system.agentUrl("S1")],
  ];
  for (const [name, url] of targets) {
    it(
      `at the ${name}: no server error, and every status, content type, header and body as the contract says`,
      async () => {
        const run = await runSchemathesis(name.replace(/\s+/g, "-"), url());
        console.log(summary(name, run));
        if (run.exitCode !== 0) console.log(readFileSync(run.logFile, "utf8").split("=== FAILURES ===")[1]?.slice(0, 20_000) ?? "");
        expect(run.report.operations.tested).toBe(run.report.operations.selected);
        expect(run.report.test_cases.with_failures).toBe(0);
        expect(run.report.test_cases.errored).toBe(0);
        expect(run.exitCode).toBe(0);
      },
      RUN_TIMEOUT_MS,
    );
  }
});
