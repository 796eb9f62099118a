#!/usr/bin/env node
// In-process no-op for drizzle-orm: one process, one mysql2 connection, drizzle-orm's migrate() called
// N times on an already migrated database. Prints one line per call, "<seconds>", then "peak_kib <n>".
// The counterpart of bench-noop-inprocess; packages come from tests/interop (its package.json pins them).
//
//   node bench/drizzle-noop-inprocess.mjs --url URL --dir DIR [--runs N]
import { createRequire } from "node:module";
import { parseArgs } from "node:util";

const require = createRequire(new URL("../tests/interop/package.json", import.meta.url));
const { createConnection } = require("mysql2/promise");
const { drizzle } = require("drizzle-orm/mysql2");
const { migrate } = require("drizzle-orm/mysql2/migrator");

const { values } = parseArgs({ options: { url: { type: "string" }, dir: { type: "string" }, runs: { type: "string" } } });
if (!values.url || !values.dir) {
  process.stderr.write("usage: node drizzle-noop-inprocess.mjs --url URL --dir DIR [--runs N]\n");
  process.exit(2);
}
const runs = Number(values.runs ?? 100);
const connection = await createConnection(values.url);
const db = drizzle(connection);
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  await migrate(db, { migrationsFolder: values.dir });
  process.stdout.write(`${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(6)}\n`);
}
await connection.end();
process.stdout.write(`peak_kib ${process.resourceUsage().maxRSS}\n`);
