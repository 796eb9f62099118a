#!/usr/bin/env node
// Run the REAL `drizzle-kit generate` or `drizzle-kit check` (drizzle-kit 0.31.11) on a migrations folder.
//
//   node kit-generate.mjs generate --dir DIR --schema FILE [--name NAME] [--custom]
//   node kit-generate.mjs check --dir DIR
//
// Writes a temporary drizzle.config.json (dialect mysql, out = DIR, schema = absolute FILE) and runs, in
// DIR's parent folder, `node node_modules/drizzle-kit/bin.cjs <command> --config <file> [--name NAME]
// [--custom]` with stdout/stderr passed through; exits with drizzle-kit's exit code. The schema file must
// resolve drizzle-orm, so it lives under this folder (kit-schemas/). drizzle-kit prints some refusals (a
// snapshot collision) and still exits 0: callers check its output and the files.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const fail = (message) => {
  process.stderr.write(`kit-generate: ${message}\n`);
  process.exit(1);
};

const [command, ...rest] = process.argv.slice(2);
if (command !== "generate" && command !== "check") fail("usage: kit-generate.mjs generate|check --dir DIR ...");
const args = { custom: false };
for (let i = 0; i < rest.length; ++i) {
  const a = rest[i];
  if (a === "--custom") args.custom = true;
  else if (a === "--dir" || a === "--schema" || a === "--name") {
    if (i + 1 >= rest.length) fail(`${a} needs a value`);
    args[a.slice(2)] = rest[++i];
  } else fail(`unknown argument ${a}`);
}
if (!args.dir) fail("--dir is required");
if (command === "generate" && !args.schema) fail("generate needs --schema");

const here = path.dirname(fileURLToPath(import.meta.url));
const kitBin = path.join(here, "node_modules", "drizzle-kit", "bin.cjs");
if (!fs.existsSync(kitBin)) fail(`${kitBin} not found; run \`npm ci\` in ${here}`);

// `out` relative to drizzle-kit's working directory: `check` 0.31.11 prefixes "./" to `out` and so cannot
// open an absolute one.
const outDir = path.resolve(args.dir);
const config = { dialect: "mysql", out: `./${path.basename(outDir)}` };
if (args.schema) config.schema = path.resolve(args.schema);
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "libmigrate-kitgen-"));
const configPath = path.join(tmpDir, "drizzle.config.json");
fs.writeFileSync(configPath, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });

const kitArgs = [kitBin, command, "--config", configPath];
if (args.name !== undefined) kitArgs.push("--name", args.name);
if (args.custom) kitArgs.push("--custom");
const r = spawnSync(process.execPath, kitArgs, { stdio: "inherit", cwd: path.dirname(outDir) });
fs.rmSync(tmpDir, { recursive: true, force: true });
if (r.error) fail(`cannot run drizzle-kit: ${r.error.message}`);
process.exit(r.status ?? 1);
