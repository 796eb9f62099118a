#!/usr/bin/env node
// Apply a drizzle-kit migration folder with drizzle-orm's REAL mysql2 migrator: 0.45.4 for a 0.x
// folder, or with --v1 1.0.0-rc.5 (the npm alias drizzle-orm-v1) for a 1.0 folder-per-migration one.
//
//   node drizzle-migrate.mjs --url mysql://user:pw@host:port/db --dir DIR [--table NAME] [--v1]
//
// Uses one mysql2 connection (createConnection(url)), exactly like `drizzle-kit migrate`
// does, then closes it. Exit 0 on success; on failure prints the error to stderr and
// exits 1.
import { failer, migrateArgs } from "./migrate-args.mjs";

const fail = failer("drizzle-migrate");
const args = migrateArgs("drizzle-migrate", ["v1"]);
const orm = args.v1 ? "drizzle-orm-v1" : "drizzle-orm";

const { createConnection } = await import("mysql2/promise");
const { drizzle } = await import(`${orm}/mysql2`);
const { migrate } = await import(`${orm}/mysql2/migrator`);

let connection;
try {
  connection = await createConnection(args.url);
} catch (e) {
  fail(`cannot connect: ${e.message}`);
}

let failed = null;
try {
  const db = args.v1 ? drizzle({ client: connection }) : drizzle(connection);
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
