#!/usr/bin/env node
// Run the REAL `drizzle-kit migrate` CLI (drizzle-kit 0.31.11) against a MySQL/MariaDB URL.
//
//   node kit-migrate.mjs --url mysql://user:pw@host:port/db --dir DIR [--table NAME]
//
// Writes a temporary drizzle.config.json (dialect mysql, out = absolute DIR,
// dbCredentials {url}, migrations {table} if given) in a fresh temp dir, runs
// `node node_modules/drizzle-kit/bin.cjs migrate --config <that file>` with stdout/stderr
// passed straight through, removes the temp dir and exits with drizzle-kit's exit code
// (on a non-zero code one extra line goes to stderr, since drizzle-kit prints no error).
// drizzle-kit 0.31.11 accepts .json/.js/.cjs/.mjs/.ts configs (it require()s the file
// after registering tsx); JSON is used so that no code is executed or transpiled.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { failer, migrateArgs } from "./migrate-args.mjs";

const fail = failer("kit-migrate");
const args = migrateArgs("kit-migrate");

const here = path.dirname(fileURLToPath(import.meta.url));
const kitBin = path.join(here, "node_modules", "drizzle-kit", "bin.cjs");
if (!fs.existsSync(kitBin)) {
  fail(`${kitBin} not found; run \`npm ci\` in ${here}`);
}

const config = {
  dialect: "mysql",
  out: path.resolve(args.dir),
  dbCredentials: { url: args.url },
};
if (args.table !== undefined) config.migrations = { table: args.table };

let tmpDir;
try {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "libmigrate-kit-"));
} catch (e) {
  fail(`cannot create temp dir: ${e.message}`);
}
const configPath = path.join(tmpDir, "drizzle.config.json");
const cleanup = () => {
  try {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  } catch {
    // best effort
  }
};

try {
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
} catch (e) {
  cleanup();
  fail(`cannot write ${configPath}: ${e.message}`);
}

const child = spawn(process.execPath, [kitBin, "migrate", "--config", configPath], {
  stdio: "inherit",
});

const forward = (sig) => {
  try {
    child.kill(sig);
  } catch {
    // child already gone
  }
};
process.on("SIGINT", forward);
process.on("SIGTERM", forward);

child.on("error", (e) => {
  cleanup();
  fail(`cannot run drizzle-kit: ${e.message}`);
});
child.on("close", (code, signal) => {
  cleanup();
  if (signal) {
    process.stderr.write(`kit-migrate: drizzle-kit killed by ${signal}\n`);
    process.exit(1);
  }
  if (code !== 0) {
    // drizzle-kit 0.31.10+ exits 1 on a failed migration without printing the error
    // (drizzle-orm issues #5816, #6215); say at least that it failed.
    process.stderr.write(
      `kit-migrate: drizzle-kit migrate exited with code ${code}` +
        " (drizzle-kit 0.31.11 prints no error for failures while applying; run drizzle-migrate.mjs to see it)\n",
    );
  }
  process.exit(code ?? 1);
});
