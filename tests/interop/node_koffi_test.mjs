// The C API (migrate.h) from Node through koffi (FFI, pinned in package.json): status, plan and up on a scratch
// database of the real server. Usage: node node_koffi_test.mjs <path to libmigrate.so>.
import koffi from 'koffi';
import mysql from 'mysql2/promise';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const lib = koffi.load(process.argv[2]);

const TargetOptions = koffi.struct('migrate_target_options', {
  struct_size: 'size_t', url: 'const char *', migrations_dir: 'const char *', table: 'const char *',
  lock_timeout_seconds: 'long long', use_baseline: 'int', lock_mode: 'int', lease_ttl_seconds: 'long long',
  baseline_dir: 'const char *',
});
const UpOptions = koffi.struct('migrate_up_options', {
  struct_size: 'size_t', allow_out_of_order: 'int', allow_missing: 'int', allow_dirty: 'int', use_baseline: 'int',
  to: 'const char *',
});
const Event = koffi.struct('migrate_event', {
  struct_size: 'size_t', kind: 'int', tag: 'const char *', migration_number: 'uint64_t', migrations_total: 'uint64_t',
  statement_index: 'uint64_t', statements_total: 'uint64_t', duration_ns: 'int64_t', detail: 'const char *',
  // appended later: the log fields (check struct_size before reading them)
  level: 'int', readiness: 'int', holder: 'const char *', json: 'const char *', failure: 'void *',
});
koffi.opaque('migrate_target');
koffi.opaque('migrate_error');
const EventFn = koffi.proto('void migrate_event_fn(const migrate_event *ev, void *user_data)');

const api = {
  version: lib.func('const char *migrate_version(void)'),
  abiVersion: lib.func('unsigned int migrate_abi_version(void)'),
  optionsInit: lib.func('void migrate_target_options_init(_Out_ migrate_target_options *opts)'),
  upInit: lib.func('void migrate_up_options_init(_Out_ migrate_up_options *opts)'),
  open: lib.func('migrate_target *migrate_target_open(const migrate_target_options *opts, _Out_ migrate_error **err)'),
  free: lib.func('void migrate_target_free(migrate_target *t)'),
  statusJson: lib.func('int migrate_target_status_json(migrate_target *t, _Out_ void **json, _Out_ migrate_error **err)'),
  planJson: lib.func('int migrate_target_plan_json(migrate_target *t, const migrate_up_options *o, _Out_ void **json, _Out_ migrate_error **err)'),
  up: lib.func('int migrate_target_up(migrate_target *t, const migrate_up_options *o, migrate_event_fn *cb, void *user, _Out_ void **report, _Out_ migrate_error **err)'),
  freeString: lib.func('void migrate_free_string(void *s)'),
  errorCodeName: lib.func('const char *migrate_error_code_name(migrate_error *e)'),
  errorCode: lib.func('int migrate_error_code(migrate_error *e)'),
  errorMessage: lib.func('const char *migrate_error_message(migrate_error *e)'),
  errorFree: lib.func('void migrate_error_free(migrate_error *e)'),
  readiness: lib.func('int migrate_target_readiness(migrate_target *t)'),
  readinessName: lib.func('const char *migrate_readiness_name(int readiness)'),
};

let checks = 0;
function check(cond, what) {
  checks++;
  assert.ok(cond, what);
  console.log(`ok ${checks} - ${what}`);
}

function takeError(errOut) {
  const e = errOut[0];
  const out = { code: api.errorCode(e), name: api.errorCodeName(e), message: api.errorMessage(e) };
  api.errorFree(e);
  return out;
}

function takeString(out) {
  const s = koffi.decode(out[0], 'char', -1);
  api.freeString(out[0]);
  return s;
}

function openTarget(url, folder) {
  const o = {};
  api.optionsInit(o);
  Object.assign(o, { url, migrations_dir: folder, lock_timeout_seconds: 10 });
  const err = [null];
  const t = api.open(o, err);
  if (!t) throw Object.assign(new Error('open failed'), takeError(err));
  return t;
}

const server = process.env.MIGRATE_TEST_URL || process.env.MIGRATE_TEST_DEFAULT_URL ||
  'mysql://migrate:migrate-local-pw@127.0.0.1:13306';
const database = `capi_node_${process.pid}`;
const admin = await mysql.createConnection(server);
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-koffi-'));
try {
  check(api.abiVersion() === 1, 'migrate_abi_version() === 1');
  check(api.version().length > 0, `migrate_version() = ${api.version()}`);

  fs.mkdirSync(path.join(folder, 'meta'));
  const tags = ['0000_users', '0001_posts'];
  fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({
    version: '7', dialect: 'mysql',
    entries: tags.map((tag, idx) => ({ idx, version: '5', when: 1000 * (idx + 1), tag, breakpoints: true })),
  }));
  fs.writeFileSync(path.join(folder, '0000_users.sql'), 'CREATE TABLE `users` (`id` int PRIMARY KEY);');
  fs.writeFileSync(path.join(folder, '0001_posts.sql'),
    'CREATE TABLE `posts` (`id` int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO `posts` VALUES (1);');
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\``);
  const url = `${server.replace(/\/$/, '')}/${database}`;

  try {
    openTarget('mysql://u:topsecret@h:notaport/x', folder);
    check(false, 'a bad URL is refused');
  } catch (e) {
    check(e.name === 'url_invalid' && e.code === 6, `bad URL: ${e.name} (${e.code})`);
    check(!e.message.includes('topsecret'), 'the message hides the password');
  }

  const t = openTarget(url, folder);
  const out = [null];
  const err = [null];
  check(api.statusJson(t, out, err) === 0, 'status');
  let s = JSON.parse(takeString(out));
  check(s.pending === 2 && s.applied === 0, 'status: 2 pending');

  check(api.planJson(t, null, out, err) === 0, 'plan');
  const plan = JSON.parse(takeString(out));
  check(plan.refused === null && plan.migrations.length === 2, 'plan: 2 migrations, not refused');

  const events = [];
  const marker = koffi.alloc('int', 1);
  koffi.encode(marker, 'int', 42);
  const cb = koffi.register((evPtr, user) => {
    const ev = koffi.decode(evPtr, Event);  // valid only during the call: copy what is kept
    events.push({ kind: ev.kind, tag: ev.tag, user: koffi.decode(user, 'int'),
      record: ev.struct_size >= koffi.sizeof(Event) ? JSON.parse(ev.json) : null, readiness: ev.readiness });
  }, koffi.pointer(EventFn));
  const up = {};
  api.upInit(up);
  const rc = api.up(t, up, cb, marker, out, err);
  koffi.unregister(cb);
  if (rc !== 0) throw Object.assign(new Error('up failed'), takeError(err));
  const r = JSON.parse(takeString(out));
  check(r.ok && r.applied === 2 && r.statements === 3, `up applied 2 migrations: ${JSON.stringify(r)}`);
  check(events.every((e) => e.user === 42), 'user_data round trip');
  check(events.filter((e) => e.kind === 8).map((e) => e.tag).join() === tags.join(), 'migration_finished per migration');
  check(events.at(-1).kind === 9, 'run_finished last');
  check(events.every((e) => e.record && e.record.target === database), 'every event carries its JSON log line');
  check(events.at(-1).record.readiness === 'done' && api.readinessName(events.at(-1).readiness) === 'done',
    'readiness done after the run');
  check(api.readiness(t) === 3, 'the handle reports readiness done');
  check(events.filter((e) => e.record.level === 'debug').every((e) => Number.isInteger(e.record.line)),
    'statement records carry their line');

  check(api.statusJson(t, out, err) === 0, 'status after up');
  s = JSON.parse(takeString(out));
  check(s.applied === 2 && s.pending === 0, 'status after up: 2 applied');
  const [rows] = await admin.query(`SELECT id FROM \`${database}\`.posts`);
  check(rows.length === 1, 'the INSERT ran');
  api.free(t);
  api.free(null);
  api.freeString(null);
  console.log(`# all ${checks} checks passed`);
} finally {
  fs.rmSync(folder, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
}
