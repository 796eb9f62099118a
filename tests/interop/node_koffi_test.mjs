// The C API (migrate.h) from Node through koffi (FFI, pinned in package.json): status, plan and up on a scratch
// database of the real server; then cancel, verify, lint, repair, resolve, baseline mark and create, and
// run_at_startup. Usage: node node_koffi_test.mjs <path to libmigrate.so>.
// Strings come back through `_Out_ void **` (koffi.decode copies the text, then migrate_free_string frees it) or
// through a disposable string type that calls migrate_free_string itself. Declaring the out-parameter
// `_Out_ const char **` (or 'str') would copy the text and drop the pointer: a leak, which the last check would
// catch (RSS over many calls).
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
const LintOptions = koffi.struct('migrate_lint_options', {
  struct_size: 'size_t', flavor: 'int', sharded: 'int', foreign_keys: 'int',
});
const BaselineOptions = koffi.struct('migrate_baseline_options', {
  struct_size: 'size_t', scratch_server_url: 'const char *', through: 'const char *',
});
koffi.opaque('migrate_cancel_token');
const StartupOptions = koffi.struct('migrate_startup_options', {
  struct_size: 'size_t', target: 'const migrate_target_options *', up: 'const migrate_up_options *',
  on_validation_error: 'int', cancel: 'migrate_cancel_token *',
});

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
  cancel: lib.func('void migrate_target_cancel(migrate_target *t)'),
  cancelReset: lib.func('void migrate_target_cancel_reset(migrate_target *t)'),
  tokenNew: lib.func('migrate_cancel_token *migrate_cancel_token_new(void)'),
  tokenFree: lib.func('void migrate_cancel_token_free(migrate_cancel_token *k)'),
  tokenCancel: lib.func('void migrate_cancel_token_cancel(migrate_cancel_token *k)'),
  tokenReset: lib.func('void migrate_cancel_token_reset(migrate_cancel_token *k)'),
  tokenIsCancelled: lib.func('int migrate_cancel_token_is_cancelled(migrate_cancel_token *k)'),
  verifyJson: lib.func('int migrate_target_verify_json(migrate_target *t, int schema, _Out_ void **json, _Out_ migrate_error **err)'),
  lintInit: lib.func('void migrate_lint_options_init_sized(_Inout_ migrate_lint_options *o, size_t size)'),
  lintJson: lib.func('int migrate_lint_json(const char *dir, const migrate_lint_options *o, _Out_ void **json, _Out_ migrate_error **err)'),
  baselineInit: lib.func('void migrate_baseline_options_init_sized(_Inout_ migrate_baseline_options *o, size_t size)'),
  baselineCreate: lib.func('int migrate_target_baseline_create(migrate_target *t, const migrate_baseline_options *o, _Out_ void **json, _Out_ migrate_error **err)'),
  markBaseline: lib.func('int migrate_target_mark_baseline(migrate_target *t, const char *through, migrate_event_fn *cb, void *user, _Out_ uint64_t *recorded, _Out_ migrate_error **err)'),
  repair: lib.func('int migrate_target_repair(migrate_target *t, migrate_event_fn *cb, void *user, _Out_ void **json, _Out_ migrate_error **err)'),
  resolve: lib.func('int migrate_target_resolve(migrate_target *t, const char *tag, int resolution, migrate_event_fn *cb, void *user, _Out_ migrate_error **err)'),
  startupInit: lib.func('void migrate_startup_options_init_sized(_Inout_ migrate_startup_options *o, size_t size)'),
  runAtStartup: lib.func('int migrate_run_at_startup(const migrate_startup_options *o, migrate_event_fn *cb, void *user, _Out_ void **report, _Out_ migrate_error **err)'),
};
// The disposable way: koffi converts to a JS string, then hands the C pointer to migrate_free_string.
let disposed = 0;
const freeString = lib.func('void migrate_free_string(void *s)');
koffi.disposable('migrate_str', 'str', (p) => {
  disposed++;
  freeString(p);
});
api.lintJsonStr = lib.func('int migrate_lint_json(const char *dir, const migrate_lint_options *o, _Out_ migrate_str *json, _Out_ migrate_error **err)');
const INTERRUPTED = 22 + 1;  // statuses: MIGRATE_STATUS(code) = code + 1
const INVALID = 1000 + 1;
let stringsFreed = 0;

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
  stringsFreed++;
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

// Calls fn(...args, out, err); returns the parsed JSON, or throws the error.
function callJson(fn, ...args) {
  const out = [null];
  const err = [null];
  if (fn(...args, out, err) !== 0) throw Object.assign(new Error('call failed'), takeError(err));
  return JSON.parse(takeString(out));
}

async function runOps(url) {
  const write = (name, text) => fs.writeFileSync(path.join(folder, name), text);
  const journal = (tags) => write(path.join('meta', '_journal.json'), JSON.stringify({
    version: '7', dialect: 'mysql',
    entries: tags.map((tag, idx) => ({ idx, version: '5', when: 1000 * (idx + 1), tag, breakpoints: true })),
  }));
  const q = async (sql) => (await admin.query(sql))[0];
  const trackingRows = async () => (await q(`SELECT COUNT(*) AS n FROM \`${database}\`.__drizzle_migrations`))[0].n;
  const fresh = async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\``);
  };
  const err = [null];

  // Bad input.
  check(api.verifyJson(null, 0, [null], err) === INVALID && takeError(err).name === 'invalid_argument',
    'verify NULL target: invalid_argument');
  check(api.lintJson(folder, { struct_size: 2, flavor: 0, sharded: 0, foreign_keys: 0 }, [null], null) === INVALID,
    'lint small struct_size: invalid_argument');
  check(api.runAtStartup(null, null, null, null, null) === INVALID, 'startup NULL options');

  journal(['0000_users', '0001_posts', '0002_more']);
  write('0002_more.sql', 'abcd'.split('').map((n) => `CREATE TABLE \`${n}\` (\`id\` int);`).join('\n--> statement-breakpoint\n'));
  let t = openTarget(url, folder);

  // A pending cancel stops the next call; a cancel during a statement (from the event callback here: Node runs
  // JS on one thread) stops before the next statement; the next up resumes.
  api.cancel(t);
  check(api.up(t, null, null, null, null, null) === INTERRUPTED, 'pending cancel stops up');
  api.cancel(t);
  api.cancelReset(t);
  const cb = koffi.register((evPtr) => {
    const ev = koffi.decode(evPtr, Event);
    if (ev.kind === 5 && ev.statement_index === 0 && ev.tag === '0002_more') api.cancel(t);
  }, koffi.pointer(EventFn));
  check(api.up(t, null, cb, null, null, err) === INTERRUPTED && takeError(err).name === 'interrupted',
    'a cancel during a statement stops up');
  koffi.unregister(cb);
  const tables = (await q(`SHOW TABLES FROM \`${database}\``)).map((row) => Object.values(row)[0]);
  check(tables.includes('a') && !tables.includes('b') && await trackingRows() === 2, 'stopped after the first statement');
  let r = callJson((...a) => api.up(t, null, null, null, ...a));
  check(r.resumed === 1 && r.statements === 3 && await trackingRows() === 3, `the next up resumes: ${JSON.stringify(r)}`);

  // verify and lint.
  const v = callJson(api.verifyJson, t, 0);
  check(v.ok && v.tracking.rows === 3 && v.schema === null, 'verify ok');
  const lo = {};
  api.lintInit(lo, koffi.sizeof(LintOptions));
  check(lo.struct_size === koffi.sizeof(LintOptions) && lo.foreign_keys === 1, 'lint options init');
  lo.flavor = 1;  // MIGRATE_FLAVOR_MARIADB
  const lint = callJson(api.lintJson, folder, lo);
  check(lint.schemaVersion === 1 && lint.folders[0].flavor === 'mariadb', 'lint document');
  api.free(t);

  // repair.
  write('0000_users.sql', 'CREATE TABLE `users` (`id` int PRIMARY KEY); -- reviewed');
  t = openTarget(url, folder);
  r = callJson((...a) => api.repair(t, null, null, ...a));
  const [row] = await q(`SELECT hash FROM \`${database}\`.__drizzle_migrations ORDER BY id LIMIT 1`);
  check(r.repaired[0].tag === '0000_users' && r.repaired[0].file_hash === row.hash, 'repair recorded the file hash');
  api.free(t);

  // resolve: the second statement fails (its table exists); the operator says it took effect.
  journal(['0000_users', '0001_posts', '0002_more', '0003_clash']);
  write('0003_clash.sql', 'CREATE TABLE `e` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `f` (`id` int);');
  await q(`CREATE TABLE \`${database}\`.f (id int)`);
  t = openTarget(url, folder);
  check(api.up(t, null, null, null, null, null) === 13 + 1, 'up stops on server_error');
  check(api.resolve(t, '0003_clash', 9, null, null, null) === INVALID, 'bad resolution');
  check(api.resolve(t, '0003_clash', 1, null, null, null) === 0, 'resolve applied');
  r = callJson((...a) => api.up(t, null, null, null, ...a));
  check(r.applied === 1 && r.statements === 0 && await trackingRows() === 4, 'resolved statement skipped');
  api.free(t);

  // baseline mark and create.
  await fresh();
  await q(`CREATE TABLE \`${database}\`.users (id int)`);
  await q(`CREATE TABLE \`${database}\`.posts (id int)`);
  t = openTarget(url, folder);
  const recorded = [0];
  check(api.markBaseline(t, '0001_posts', null, null, recorded, null) === 0 && Number(recorded[0]) === 2 &&
    await trackingRows() === 2, 'baseline mark recorded 2 rows');
  const bo = {};
  api.baselineInit(bo, koffi.sizeof(BaselineOptions));
  bo.through = '0001_posts';
  const b = callJson(api.baselineCreate, t, bo);
  check(b.through === '0001_posts' && b.migrations === 2, 'baseline create');
  check(fs.statSync(path.join(folder, 'baseline', 'snapshot.sql')).size > 0, 'snapshot.sql written');
  api.free(t);

  // run_at_startup with a cancel token.
  await fresh();
  const to = {};
  api.optionsInit(to);
  Object.assign(to, { url, migrations_dir: folder, lock_timeout_seconds: 10 });
  const so = {};
  api.startupInit(so, koffi.sizeof(StartupOptions));
  const token = api.tokenNew();
  Object.assign(so, { target: to, up: null, cancel: token });
  api.tokenCancel(token);
  check(api.tokenIsCancelled(token) === 1, 'token cancelled');
  const out = [null];
  check(api.runAtStartup(so, null, null, out, null) === INTERRUPTED, 'a cancelled token stops run_at_startup');
  check(JSON.parse(takeString(out)).error.code === 'interrupted', 'report says interrupted');
  api.tokenReset(token);
  r = callJson(api.runAtStartup, so, null, null);
  check(r.ok && r.baseline_covered === 2 && await trackingRows() === 4, `run_at_startup: ${JSON.stringify(r)}`);
  api.tokenFree(token);

  // No leak: 20,000 strings through the disposable out-parameter, each freed; RSS stays within a bound well
  // below what keeping them would take (each document of an unreadable folder is ~570 bytes: 11 MB; measured:
  // ~4 MB of V8 growth freed, ~17 MB leaked with `_Out_ const char **`).
  const lintOnce = () => {
    const s = [null];
    if (api.lintJsonStr('/nonexistent/capi-folder', null, s, null) !== 0) throw new Error('lint failed');
    return s[0];
  };
  check(JSON.parse(lintOnce()).schemaVersion === 1, 'disposable string: a JS string');
  for (let i = 0; i < 2000; i++) lintOnce();
  const before = disposed;
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 20000; i++) lintOnce();
  const grown = process.memoryUsage().rss - rss0;
  check(disposed - before === 20000, 'every returned string freed');
  check(grown < 10 * 1000 * 1000, `RSS grew ${grown} bytes over 20,000 calls`);
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
  await runOps(url);
  api.free(null);
  api.freeString(null);
  console.log(`# all ${checks} checks passed`);
} finally {
  fs.rmSync(folder, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
}
