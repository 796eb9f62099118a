#!/usr/bin/env node
// Apply a drizzle-kit 1.0 migration folder (<YYYYMMDDHHMMSS>_<name>/migration.sql) with drizzle-orm
// 1.0.0-rc.5's REAL mysql2 migrator (installed as the npm alias drizzle-orm-v1, next to 0.45.4).
//
//   node drizzle-v1-migrate.mjs --url mysql://user:pw@host:port/db --dir DIR [--table NAME]
//
// Uses one mysql2 connection (createConnection(url)), as drizzle-kit migrate does, then
// closes it. Exit 0 on success; on failure prints the error to stderr and
// exits 1.
import { failer, migrateArgs } from "./migrate-args.mjs";

const fail = failer("drizzle-v1-migrate");
const args = migrateArgs("drizzle-v1-migrate");

const { createConnection } = await import("mysql2/promise");
const { drizzle } = await import("drizzle-orm-v1/mysql2");
const { migrate } = await import("drizzle-orm-v1/mysql2/migrator");

let connection;
try {
  connection = await createConnection(args.url);
} catch (e) {
  fail(`cannot connect: ${e.message}`);
}

let failed = null;
try {
  const db = drizzle({ client: connection });
  const config = { migrationsFolder: args.dir };
  if (args.table !== undefined) config.migrationsTable = args.table;
  await migrate(db, config);
} catch (e) {
  failed = e;
}

try {
  await connection.end();
} catch {
  connection.destroy();
}

if (failed) {
  // DrizzleQueryError carries the failing query in .message and the server error in .cause.
  let msg = failed.message ?? String(failed);
  if (failed.cause && failed.cause.message) {
    msg += `\ncause: ${failed.cause.code ? failed.cause.code + ": " : ""}${failed.cause.message}`;
  }
  fail(msg);
}
process.exit(0);
