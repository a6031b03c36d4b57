#!/usr/bin/env node
import { nodeIo } from "./cli/cli-io.js";
import { runCli } from "./cli/program.js";

process.exitCode = await runCli(process.argv.slice(2), nodeIo());
