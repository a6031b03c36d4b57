import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness/infra.js";

describe("openapi.yaml's examples", () => {
  it("every operation has request and response examples, each valid against its schema", async () => {
    const install = await promisify(execFile)("bash", [`${REPO_ROOT}e2e/schemathesis/install.sh`], { env: process.env, timeout: 170_000 });
    const python = `${dirname(install.stdout.trim().split("\n").pop()!)}/python`;
    const run = await promisify(execFile)(python, [`${REPO_ROOT}e2e/schemathesis/check-examples.py`, `${REPO_ROOT}openapi.yaml`]).catch(
      (e: { stdout: string; code: number }) => e,
    );
    console.log(run.stdout.trim());
    expect(run.stdout).toMatch(/ 0 problems$/m);
  }, 180_000);
});
