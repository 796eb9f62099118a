#!/usr/bin/env node
// Validate a SARIF log against the official SARIF 2.1.0 JSON schema (draft-04), as shipped in
// @microsoft/jest-sarif, with ajv. Prints "valid" or every schema error; exits 1 when invalid.
//
//   node validate-sarif.mjs FILE
import fs from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
if (argv.length !== 1) {
  process.stderr.write("usage: node validate-sarif.mjs FILE\n");
  process.exit(2);
}
const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
// unicodeRegExp: false because one pattern of the schema ("language") is not valid under the `u` flag.
// The schema's formats, checked as RFC 3986 / RFC 3339 describe them in the large.
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  unicodeRegExp: false,
  formats: {
    uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
    "uri-reference": /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/,
    "date-time": (s) => !Number.isNaN(Date.parse(s)),
  },
});
const validate = ajv.compile(schema);
const log = JSON.parse(fs.readFileSync(argv[0], "utf8"));
if (validate(log)) {
  process.stdout.write(`valid: ${schema.title}\n`);
} else {
  for (const e of validate.errors) process.stdout.write(`${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}\n`);
  process.exit(1);
}
