#!/usr/bin/env node
/**
 * Writes docs/postman.json, the Postman collection of openapi.yaml (build-collection.mjs, run-plan.mjs).
 * `--check` writes nothing and exits 1 when the committed file is not what openapi.yaml generates.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import { buildCollection } from "./build-collection.mjs";
import * as plan from "./run-plan.mjs";

const root = new URL("../../", import.meta.url);
const target = new URL("docs/postman.json", root);
const generated = `${JSON.stringify(buildCollection(parse(readFileSync(new URL("openapi.yaml", root), "utf8")), plan), null, 2)}\n`;

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {}
  if (committed !== generated) {
    console.error("docs/postman.json is not what openapi.yaml generates: run `npm run postman`");
    process.exit(1);
  }
  console.log("docs/postman.json matches openapi.yaml");
} else {
  writeFileSync(target, generated);
  console.log("wrote docs/postman.json");
}
