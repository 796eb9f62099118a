#!/usr/bin/env node
// Drive the REAL @planetscale/database (database-js) for the C++ tests: run a small program of steps on
// one Connection and print, as one line of JSON, what database-js returned for each step and every HTTP
// exchange it made.
//
//   node psdb-client.mjs --program '<json>'     (or --program-file FILE)
//
// Program: {
//   "url": "http://user:pw@127.0.0.1:PORT",     the server (or "golden": FILE, below)
//   "golden": FILE,                              no server: every request is answered with
//                                                {"session":42,"result":<FILE's JSON>,"timing":1}, the way
//                                                database-js's own golden test feeds it the captured result
//   "session": {...},                            optional: start the Connection with this session
//   "steps": [ step, ... ]
// }
// Steps:
//   {"execute": SQL, "args": [..]|{..}}          connection.execute(SQL, args)
//   {"client": SQL}                              new Client(config).execute(SQL): a fresh session per call
//   {"transaction": [{"execute": SQL, "args": ..}, ...], "throw": MSG}
//                                                connection.transaction(tx => each SQL on tx, the first failure
//                                                failing it; then throw MSG if given); "inner": each SQL's outcome
//   {"parallel": [SQL, ...]}                     Promise.allSettled of connection.execute for each SQL at once
//   {"refresh": true}                            connection.refresh() (CreateSession)
//   {"close": true}                              POST CloseSession with the connection's session
//   {"post": PATH, "body": TEXT, "auth": false, "contentType": T}   a raw POST (status and body text)
//   {"tamper": "uuid"|"signature"}               edit the connection's session (forgery tests)
// Output: {"steps":[{"ok": result} | {"error": {...}} ...], "http":[{"path","status","request","response"}],
//          "session": <the connection's session at the end>}
// A result is database-js's: {headers, types, fields, rows, rowsAffected, insertId, size, statement};
// Uint8Array cells are written as {"$bytes": "<hex>"}. An error is {name, message, status, body}.
// Exit 0 when the program ran (step errors are results); 1 on a bad program.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";

function fail(message) {
  process.stderr.write(`psdb-client: ${message}\n`);
  process.exit(1);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: { program: { type: "string" }, "program-file": { type: "string" } },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  fail(`${e.message}\nusage: node psdb-client.mjs --program JSON | --program-file FILE`);
}
let program;
try {
  program = JSON.parse(args.program ?? readFileSync(args["program-file"], "utf8"));
} catch (e) {
  fail(`cannot read the program: ${e.message}`);
}

const { Client, connect } = await import("@planetscale/database");

// Every exchange, raw, so the tests can look at the wire as well as at what database-js made of it.
const http = [];
async function recordingFetch(url, init) {
  const path = new URL(url).pathname;
  let status, text;
  if (program.golden) {
    const result = JSON.parse(readFileSync(program.golden, "utf8"));
    status = 200;
    text = JSON.stringify({ session: 42, result, timing: 1 });
  } else {
    const response = await fetch(url, init);
    status = response.status;
    text = await response.text();
    http.push({ path, status, request: init.body, response: text });
    return new Response(text, { status, statusText: response.statusText, headers: response.headers });
  }
  http.push({ path, status, request: init.body, response: text });
  return new Response(text, { status, headers: { "content-type": "application/json" } });
}

const config = { url: program.url ?? "http://golden:golden@127.0.0.1:1", fetch: recordingFetch };
const conn = connect(config);
if (program.session !== undefined) conn.session = program.session;

function plain(value) {
  return JSON.parse(
    JSON.stringify(value, (_key, v) => {
      if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString("hex") };
      if (typeof v === "bigint") return v.toString();
      if (v === undefined) return null;
      return v;
    })
  );
}

function describeError(e) {
  return { name: e?.name ?? null, message: e?.message ?? String(e), status: e?.status ?? null, body: plain(e?.body ?? null) };
}

async function settle(promise) {
  try {
    const r = await promise;
    delete r.time; // varies
    return { ok: plain(r) };
  } catch (e) {
    return { error: describeError(e) };
  }
}

async function runStep(target, step) {
  if (step.execute !== undefined) return settle(target.execute(step.execute, step.args ?? null));
  if (step.client !== undefined) return settle(new Client({ url: config.url, fetch: recordingFetch }).execute(step.client));
  if (step.parallel !== undefined) return { parallel: await Promise.all(step.parallel.map((sql) => settle(target.execute(sql)))) };
  if (step.transaction !== undefined) {
    const inner = [];
    const outcome = await settle(
      conn.transaction(async (tx) => {
        // A failing statement fails the transaction (database-js then sends ROLLBACK and rethrows).
        for (const s of step.transaction) {
          try {
            const r = await tx.execute(s.execute, s.args ?? null);
            delete r.time;
            inner.push({ ok: plain(r) });
          } catch (e) {
            inner.push({ error: describeError(e) });
            throw e;
          }
        }
        if (step.throw) throw new Error(step.throw);
        return { headers: [], rows: [], inner: inner.length };
      })
    );
    return { ...outcome, inner };
  }
  if (step.refresh) return settle(conn.refresh().then((session) => ({ session })));
  if (step.close) {
    const url = new URL("/psdb.v1alpha1.Database/CloseSession", conn.url);
    const auth = btoa(`${config.username}:${config.password}`);
    const response = await recordingFetch(url.toString(), {
      method: "POST",
      body: JSON.stringify({ session: conn.session }),
      headers: { "Content-Type": "application/json", Authorization: `Basic ${auth}` },
    });
    return { ok: { status: response.status, body: JSON.parse(await response.text()) } };
  }
  if (step.post !== undefined) {
    const url = new URL(step.post, conn.url);
    const headers = { "Content-Type": step.contentType ?? "application/json" };
    if (step.auth !== false) headers.Authorization = `Basic ${btoa(`${config.username}:${config.password}`)}`;
    const response = await recordingFetch(url.toString(), { method: "POST", body: step.body ?? "{}", headers });
    return { ok: { status: response.status, body: await response.text() } };
  }
  if (step.tamper) {
    const s = structuredClone(conn.session);
    if (step.tamper === "uuid") s.vitessSession.SessionUUID = s.vitessSession.SessionUUID.split("").reverse().join("");
    else s.signature = Buffer.alloc(32, 7).toString("base64");
    conn.session = s;
    return { ok: { tampered: step.tamper } };
  }
  throw new Error(`unknown step ${JSON.stringify(step)}`);
}

const steps = [];
try {
  for (const step of program.steps ?? []) steps.push(await runStep(conn, step));
} catch (e) {
  fail(e.message);
}
process.stdout.write(JSON.stringify({ steps, http, session: conn.session ?? null }) + "\n");
