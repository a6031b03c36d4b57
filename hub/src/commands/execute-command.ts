/** Where the transfer saga finds the system command runner; the runner lives in `command-pipeline/`. */
export type { SystemCommandRunner } from "../command-pipeline/execute-command.js";
