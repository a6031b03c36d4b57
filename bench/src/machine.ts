import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { createRequire } from "node:module";
import type pg from "pg";

/** The machine and the versions the figures were measured with. */
export const describeMachine = async (db: pg.Pool, repoRoot: string, pgBin: string) => {
  const kafkaJar = readdirSync(`${repoRoot}/deploy/kafka/libs`).find((f) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(f));
  const require = createRequire(`${repoRoot}/package.json`);
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    postgres: String((await db.query("SHOW server_version")).rows[0].server_version),
    pgbench: execFileSync(`${pgBin}/pgbench`, ["--version"], { encoding: "utf8" }).trim(),
    kafka: kafkaJar?.replace(/^kafka_[\d.]+-([\d.]+)\.jar$/, "$1") ?? "unknown",
    kafkajs: (require("kafkajs/package.json") as { version: string }).version,
    autocannon: (require("autocannon/package.json") as { version: string }).version,
  };
};
