#!/usr/bin/env node
// Apply a drizzle-kit 0.x migration folder with drizzle-orm's REAL mysql2 migrator.
//
//   node drizzle-migrate.mjs --url mysql://user:pw@host:port/db --dir DIR [--table NAME]
//
// Uses one mysql2 connection (createConnection(url)), exactly like `drizzle-kit migrate`
// does, then closes it. Exit 0 on success; on failure prints the error to stderr and
// exits 1.
import { failer, migrateArgs } from "./migrate-args.mjs";

const fail = failer("drizzle-migrate");
const args = migrateArgs("drizzle-migrate");

const { createConnection } = await import("mysql2/promise");
const { drizzle } = await import("drizzle-orm/mysql2");
const { migrate } = await import("drizzle-orm/mysql2/migrator");

let connection;
try {
  connection = await createConnection(args.url);
} catch (e) {
  fail(`cannot connect: ${e.message}`);
}

let failed = null;
try {
  const db = drizzle(connection);
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
