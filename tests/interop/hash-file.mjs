#!/usr/bin/env node
// Print the hash drizzle-orm's readMigrationFiles() computes for one migration file:
// the file is decoded as UTF-8 (invalid bytes become U+FFFD), re-encoded, SHA-256, lower hex.
//
//   node hash-file.mjs FILE
import crypto from "node:crypto";
import fs from "node:fs";

const argv = process.argv.slice(2);
if (argv.length !== 1) {
  process.stderr.write("usage: node hash-file.mjs FILE\n");
  process.exit(1);
}

let text;
try {
  text = fs.readFileSync(argv[0]).toString();
} catch (e) {
  process.stderr.write(`hash-file: ${e.message}\n`);
  process.exit(1);
}
process.stdout.write(crypto.createHash("sha256").update(text).digest("hex") + "\n");
