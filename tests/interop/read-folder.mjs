#!/usr/bin/env node
// Print, as one line of JSON, what drizzle-orm's REAL readMigrationFiles() returns for a
// drizzle-kit 0.x folder: [{sql: [chunk, ...], bps, folderMillis, hash}, ...]
//
//   node read-folder.mjs DIR
//
// DIR is passed to drizzle unchanged (its error messages quote it).
// If readMigrationFiles throws, prints {"error": "<message>"} on stdout and exits 1.
import { readMigrationFiles } from "drizzle-orm/migrator";

const argv = process.argv.slice(2);
if (argv.length !== 1) {
  process.stderr.write("usage: node read-folder.mjs DIR\n");
  process.exit(1);
}

let migrations;
try {
  migrations = readMigrationFiles({ migrationsFolder: argv[0] });
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e && e.message !== undefined ? e.message : String(e) }) + "\n");
  process.exit(1);
}
process.stdout.write(JSON.stringify(migrations) + "\n");
