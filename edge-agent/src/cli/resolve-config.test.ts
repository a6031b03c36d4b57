import { describe, expect, it } from "vitest";
import { isCliFailure } from "./cli-failure.js";
import { configFilePath, parseConfigFile, resolveConfig, type ConfigInputs } from "./resolve-config.js";

const resolve = (inputs: Partial<ConfigInputs>) => resolveConfig({ flags: {}, env: {}, file: {}, ...inputs });

describe("resolveConfig", () => {
  it("given nothing, then the defaults apply and there is no store or token", () => {
    expect(resolve({})).toEqual({
      agentUrl: "http://127.0.0.1:8081",
      storeId: undefined,
      token: undefined,
      timeoutMs: 10000,
      sources: { agentUrl: "default", storeId: "default", token: "default", timeoutMs: "default" },
    });
  });

  it("given a setting in the flags, the environment and the file, then the flag wins, then the environment, then the file", () => {
    const file = { agent: "http://file:1", store: "F1", token: "file-token", timeoutMs: 3000 };
    const env = { INVENTORY_AGENT_URL: "http://env:2", INVENTORY_STORE: "E1" };
    const flags = { agent: "http://flag:3/" };
    const config = resolve({ flags, env, file });
    expect(config).toMatchObject({
      agentUrl: "http://flag:3",
      storeId: "E1",
      token: "file-token",
      timeoutMs: 3000,
      sources: { agentUrl: "flag", storeId: "env", token: "file", timeoutMs: "file" },
    });
  });

  it("given an empty environment variable, then it counts as not set", () => {
    expect(resolve({ env: { INVENTORY_STORE: "" }, file: { store: "F1" } })).toMatchObject({ storeId: "F1" });
  });

  it.each([
    [{ flags: { agent: "localhost:8081" } }, /--agent: 'localhost:8081' is not an http\(s\) URL/],
    [{ env: { INVENTORY_STORE: "S 1" } }, /INVENTORY_STORE: 'S 1' is not a store id/],
    [{ file: { store: "bad store" } }, /store in \/cfg.json: 'bad store'/],
    [{ env: { INVENTORY_TIMEOUT_MS: "5s" } }, /INVENTORY_TIMEOUT_MS: '5s' must be a whole number/],
    [{ flags: { timeoutMs: "10" } }, /--timeout-ms: '10'/],
  ])("given a bad value (%j), then it is a usage failure naming where it came from", (inputs, message) => {
    const config = resolve({ ...inputs, filePath: "/cfg.json" });
    expect(isCliFailure(config) && config.kind).toBe("usage");
    expect(isCliFailure(config) && config.message).toMatch(message);
  });
});

describe("configFilePath", () => {
  it("given INVENTORY_CONFIG, then that file, which must exist", () => {
    expect(configFilePath({ INVENTORY_CONFIG: "/etc/inv.json", XDG_CONFIG_HOME: "/x" }, "/home/a")).toEqual({
      path: "/etc/inv.json",
      required: true,
    });
  });

  it("given XDG_CONFIG_HOME, then under it; otherwise under ~/.config; neither needs to exist", () => {
    expect(configFilePath({ XDG_CONFIG_HOME: "/x" }, "/home/a")).toEqual({ path: "/x/inventory/config.json", required: false });
    expect(configFilePath({}, "/home/a")).toEqual({ path: "/home/a/.config/inventory/config.json", required: false });
  });
});

describe("parseConfigFile", () => {
  it("given a JSON object with known keys, then those values", () => {
    expect(parseConfigFile('{"store":"S1","timeoutMs":2000}', "/c")).toEqual({ store: "S1", timeoutMs: 2000 });
  });

  it.each([
    ["not json", /is not valid JSON/],
    ['{"stor":"S1"}', /has a problem: .*stor/],
    ['{"timeoutMs":"fast"}', /timeoutMs/],
    ["[]", /has a problem/],
  ])("given %s, then it is a usage failure naming the file", (text, message) => {
    const parsed = parseConfigFile(text, "/c.json");
    expect(isCliFailure(parsed) && parsed.message).toMatch(message);
    expect(isCliFailure(parsed) && parsed.message).toContain("/c.json");
  });
});
