import { z } from "zod";
import { IDENTIFIER_PATTERN } from "@inventory/shared";
import { cliFailure, type CliFailure } from "./cli-failure.js";

export const DEFAULT_AGENT_URL = "http://127.0.0.1:8081";
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Where the CLI sends its requests and as whom. */
export interface CliConfig {
  /** The store's edge agent (or the hub): every request goes there. */
  readonly agentUrl: string;
  /** The store the command is for; commands that need one refuse to run without it. */
  readonly storeId: string | undefined;
  /** The bearer token for writes; reads need none. */
  readonly token: string | undefined;
  /** Longest wait for any one HTTP answer. */
  readonly timeoutMs: number;
}

export type ConfigSource = "flag" | "env" | "file" | "default";

/** The config file's keys, all optional. */
export const configFileSchema = z.strictObject({
  agent: z.string().optional(),
  store: z.string().optional(),
  token: z.string().optional(),
  timeoutMs: z.number().int().optional(),
});
export type ConfigFileValues = z.infer<typeof configFileSchema>;

export interface ConfigInputs {
  readonly flags: { readonly agent?: string; readonly store?: string; readonly token?: string; readonly timeoutMs?: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly file: ConfigFileValues;
  /** Named in messages about a bad value from the file. */
  readonly filePath?: string;
}

export const ENV_NAMES = {
  agent: "INVENTORY_AGENT_URL",
  store: "INVENTORY_STORE",
  token: "INVENTORY_TOKEN",
  timeoutMs: "INVENTORY_TIMEOUT_MS",
  config: "INVENTORY_CONFIG",
} as const;

/**
 * The config file's path: INVENTORY_CONFIG when set (then it must exist), else
 * `$XDG_CONFIG_HOME/inventory/config.json`, else `~/.config/inventory/config.json` (optional).
 */
export const configFilePath = (env: Readonly<Record<string, string | undefined>>, homeDir: string): { path: string; required: boolean } => {
  const explicit = env[ENV_NAMES.config];
  if (explicit) return { path: explicit, required: true };
  const base = env.XDG_CONFIG_HOME || `${homeDir}/.config`;
  return { path: `${base}/inventory/config.json`, required: false };
};

/** Reads the config file's text: a JSON object with only the known keys. */
export const parseConfigFile = (text: string, path: string): ConfigFileValues | CliFailure => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return cliFailure("usage", `the config file ${path} is not valid JSON`);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
  return cliFailure("usage", `the config file ${path} has a problem: ${problems} (keys: agent, store, token, timeoutMs)`);
};

type Picked = { value: string; source: ConfigSource; name: string };

/**
 * Each setting comes from the first place that has it: command-line flag, then environment variable,
 * then config file, then the default. Every value is checked, and a bad one names where it came from.
 */
export const resolveConfig = (
  inputs: ConfigInputs,
): (CliConfig & { readonly sources: Record<keyof CliConfig, ConfigSource> }) | CliFailure => {
  const { flags, env, file } = inputs;
  const fileName = (key: string) => `${key} in ${inputs.filePath ?? "the config file"}`;
  const pick = (key: "agent" | "store" | "token" | "timeoutMs", flag: string): Picked | undefined => {
    const fromFlag = flags[key];
    if (fromFlag !== undefined && fromFlag !== "") return { value: fromFlag, source: "flag", name: flag };
    const fromEnv = env[ENV_NAMES[key]];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: "env", name: ENV_NAMES[key] };
    const fromFile = file[key];
    if (fromFile !== undefined && fromFile !== "") return { value: String(fromFile), source: "file", name: fileName(key) };
    return undefined;
  };

  const agent = pick("agent", "--agent");
  const agentUrl = agent?.value ?? DEFAULT_AGENT_URL;
  if (!/^https?:\/\/[^\s/]+/i.test(agentUrl) || !URL.canParse(agentUrl)) {
    return cliFailure("usage", `${agent?.name ?? "--agent"}: '${agentUrl}' is not an http(s) URL, e.g. ${DEFAULT_AGENT_URL}`);
  }
  const store = pick("store", "--store");
  if (store && !IDENTIFIER_PATTERN.test(store.value)) {
    return cliFailure("usage", `${store.name}: '${store.value}' is not a store id (1-64 letters, digits, '.', '_' or '-')`);
  }
  const token = pick("token", "--token");
  const timeout = pick("timeoutMs", "--timeout-ms");
  const timeoutMs = timeout ? Number(timeout.value) : DEFAULT_TIMEOUT_MS;
  if (!/^\d+$/.test(timeout?.value ?? "0") || timeoutMs < 100 || timeoutMs > 600_000) {
    return cliFailure("usage", `${timeout?.name}: '${timeout?.value}' must be a whole number of milliseconds from 100 to 600000`);
  }
  return {
    agentUrl: agentUrl.replace(/\/+$/, ""),
    storeId: store?.value,
    token: token?.value,
    timeoutMs,
    sources: {
      agentUrl: agent?.source ?? "default",
      storeId: store?.source ?? "default",
      token: token?.source ?? "default",
      timeoutMs: timeout?.source ?? "default",
    },
  };
};
