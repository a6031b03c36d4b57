import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, eventually } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;
const run = promisify(execFile);

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"] });
  await seedCatalog(system, ["S1", "S2"], [{ sku: "A1", perStore: { S1: 20, S2: 3 } }]);
  for (const client of [system.hub, system.agent("S1")]) {
    await eventually(async () => {
      expect((await client.get("/v1/availability?sku=A1&storeId=S1")).status).toBe(200);
      expect((await client.get("/v1/availability?sku=A1&storeId=S2")).status).toBe(200);
    });
  }
});
afterAll(() => system?.close());

describe("smoke-tests.sh", () => {
  it.each([["hub"], ["agent"]])("passes against the %s", async (target) => {
    const baseUrl = target === "hub" ? system.hubUrl : system.agentUrl("S1");
    const { stdout } = await run("bash", [`${REPO_ROOT}smoke-tests.sh`], {
      env: { ...process.env, BASE_URL: baseUrl, SKU: "A1", STORE: "S1" },
    }).catch((err: { stdout: string; stderr: string }) => ({ stdout: `${err.stdout}\n${err.stderr}` }));
    expect(stdout).not.toMatch(/^FAIL/m);
    expect(stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });
});
