import { isCliFailure, cliFailure, type CliFailure } from "./cli-failure.js";
import type { CliIo } from "./cli-io.js";
import { configFilePath, parseConfigFile, resolveConfig, type CliConfig, type ConfigInputs } from "./resolve-config.js";

/** Reads the config file (if any) and resolves every setting: flags, then environment, then file, then defaults. */
export const loadConfig = async (io: CliIo, flags: ConfigInputs["flags"]): Promise<CliConfig | CliFailure> => {
  const { path, required } = configFilePath(io.env, io.homeDir);
  const text = await io.readOptionalFile(path);
  if (isCliFailure(text)) return text;
  if (text === undefined && required) return cliFailure("usage", `the config file ${path} (INVENTORY_CONFIG) does not exist`);
  const file = text === undefined ? {} : parseConfigFile(text, path);
  if (isCliFailure(file)) return file;
  return resolveConfig({ flags, env: io.env, file, filePath: path });
};
