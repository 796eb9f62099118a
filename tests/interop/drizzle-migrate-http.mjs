#!/usr/bin/env node
// Apply a drizzle-kit 0.x folder with drizzle-orm's REAL planetscale-serverless migrator over the
// PlanetScale HTTP API (@planetscale/database), e.g. through tools/psdb-gateway.
//
//   node drizzle-migrate-http.mjs --url http://user:pw@127.0.0.1:PORT --dir DIR [--table NAME]
//
// Exit 0 on success; on failure prints the error (message and cause) to stderr and exits 1.
import { failer, migrateArgs } from "./migrate-args.mjs";

const fail = failer("drizzle-migrate-http");
const args = migrateArgs("drizzle-migrate-http");

const { Client } = await import("@planetscale/database");
const { drizzle } = await import("drizzle-orm/planetscale-serverless");
const { migrate } = await import("drizzle-orm/planetscale-serverless/migrator");

try {
  const client = new Client({ url: args.url });
  const db = drizzle({ client });
  const config = { migrationsFolder: args.dir };
  if (args.table !== undefined) config.migrationsTable = args.table;
  await migrate(db, config);
} catch (e) {
  const cause = e && e.cause ? `\ncause: ${e.cause.message ?? e.cause}` : "";
  fail(`${e && e.message ? e.message : e}${cause}`);
}
