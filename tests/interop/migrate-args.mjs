// Command line shared by the migrate-like scripts here: --url URL --dir DIR [--table NAME], plus any
// boolean flags a script names in `flags`.
import { parseArgs } from "node:util";

// Prints "<script>: <message>" to stderr and exits 1.
export function failer(script) {
  return (message) => {
    process.stderr.write(`${script}: ${message}\n`);
    process.exit(1);
  };
}

// Returns {url, dir, table?}; exits 1 with the usage on anything else.
export function migrateArgs(script, flags = []) {
  const fail = failer(script);
  const usage = `usage: node ${script}.mjs --url URL --dir DIR [--table NAME]` + flags.map((f) => ` [--${f}]`).join("");
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: "string" },
        dir: { type: "string" },
        table: { type: "string" },
        ...Object.fromEntries(flags.map((f) => [f, { type: "boolean" }])),
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${e.message}\n${usage}`);
  }
  if (!values.url || !values.dir) fail(usage);
  return values;
}
