"""The C API (migrate.h) through Python's ctypes, standard library only: status, plan and up on a scratch
database of the real server; then cancel (from another thread), verify, lint, repair, resolve, baseline mark and
create, and run_at_startup. Strings come back as c_void_p, read with string_at and freed with
migrate_free_string: a c_char_p restype would copy the text and lose the pointer (a leak). Usage: python_ctypes_test.py <path to libmigrate.so>.
The scratch database is created and dropped with the `mariadb` (or `mysql`) command-line client."""
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

lib = ctypes.CDLL(sys.argv[1])


class TargetOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("url", ctypes.c_char_p), ("migrations_dir", ctypes.c_char_p),
                ("table", ctypes.c_char_p), ("lock_timeout_seconds", ctypes.c_longlong),
                ("use_baseline", ctypes.c_int), ("lock_mode", ctypes.c_int),
                ("lease_ttl_seconds", ctypes.c_longlong), ("baseline_dir", ctypes.c_char_p)]


class UpOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("allow_out_of_order", ctypes.c_int),
                ("allow_missing", ctypes.c_int), ("allow_dirty", ctypes.c_int), ("use_baseline", ctypes.c_int),
                ("to", ctypes.c_char_p)]


class Event(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("kind", ctypes.c_int), ("tag", ctypes.c_char_p),
                ("migration_number", ctypes.c_uint64), ("migrations_total", ctypes.c_uint64),
                ("statement_index", ctypes.c_uint64), ("statements_total", ctypes.c_uint64),
                ("duration_ns", ctypes.c_int64), ("detail", ctypes.c_char_p),
                # appended later: the log fields (check struct_size before reading them)
                ("level", ctypes.c_int), ("readiness", ctypes.c_int), ("holder", ctypes.c_char_p),
                ("json", ctypes.c_char_p), ("failure", ctypes.c_void_p)]


class LintOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("flavor", ctypes.c_int), ("sharded", ctypes.c_int),
                ("foreign_keys", ctypes.c_int)]


class BaselineOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("scratch_server_url", ctypes.c_char_p),
                ("through", ctypes.c_char_p)]


class StartupOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("target", ctypes.POINTER(TargetOptions)),
                ("up", ctypes.POINTER(UpOptions)), ("on_validation_error", ctypes.c_int),
                ("cancel", ctypes.c_void_p)]


EVENT_FN = ctypes.CFUNCTYPE(None, ctypes.POINTER(Event), ctypes.c_void_p)
P = ctypes.c_void_p
lib.migrate_version.restype = ctypes.c_char_p
lib.migrate_abi_version.restype = ctypes.c_uint
lib.migrate_target_options_init.argtypes = [ctypes.POINTER(TargetOptions)]
lib.migrate_up_options_init.argtypes = [ctypes.POINTER(UpOptions)]
lib.migrate_target_open.restype = P
lib.migrate_target_open.argtypes = [ctypes.POINTER(TargetOptions), ctypes.POINTER(P)]
lib.migrate_target_free.argtypes = [P]
lib.migrate_target_status_json.argtypes = [P, ctypes.POINTER(P), ctypes.POINTER(P)]
lib.migrate_target_plan_json.argtypes = [P, ctypes.POINTER(UpOptions), ctypes.POINTER(P), ctypes.POINTER(P)]
lib.migrate_target_up.argtypes = [P, ctypes.POINTER(UpOptions), EVENT_FN, P, ctypes.POINTER(P), ctypes.POINTER(P)]
lib.migrate_target_readiness.argtypes = [P]
lib.migrate_target_set_log.argtypes = [P, ctypes.c_int, EVENT_FN, P, ctypes.POINTER(P)]
lib.migrate_free_string.argtypes = [P]
PP = ctypes.POINTER(P)
lib.migrate_target_cancel.argtypes = [P]
lib.migrate_target_cancel_reset.argtypes = [P]
lib.migrate_cancel_token_new.restype = P
lib.migrate_cancel_token_free.argtypes = [P]
lib.migrate_cancel_token_cancel.argtypes = [P]
lib.migrate_cancel_token_reset.argtypes = [P]
lib.migrate_cancel_token_is_cancelled.argtypes = [P]
lib.migrate_target_verify_json.argtypes = [P, ctypes.c_int, PP, PP]
lib.migrate_lint_options_init_sized.argtypes = [ctypes.POINTER(LintOptions), ctypes.c_size_t]
lib.migrate_lint_json.argtypes = [ctypes.c_char_p, ctypes.POINTER(LintOptions), PP, PP]
lib.migrate_baseline_options_init_sized.argtypes = [ctypes.POINTER(BaselineOptions), ctypes.c_size_t]
lib.migrate_target_baseline_create.argtypes = [P, ctypes.POINTER(BaselineOptions), PP, PP]
lib.migrate_target_mark_baseline.argtypes = [P, ctypes.c_char_p, EVENT_FN, P, ctypes.POINTER(ctypes.c_uint64), PP]
lib.migrate_target_repair.argtypes = [P, EVENT_FN, P, PP, PP]
lib.migrate_target_resolve.argtypes = [P, ctypes.c_char_p, ctypes.c_int, EVENT_FN, P, PP]
lib.migrate_startup_options_init_sized.argtypes = [ctypes.POINTER(StartupOptions), ctypes.c_size_t]
lib.migrate_run_at_startup.argtypes = [ctypes.POINTER(StartupOptions), EVENT_FN, P, PP, PP]
NO_EVENTS = EVENT_FN()  # a NULL callback
INTERRUPTED, INVALID = 22 + 1, 1000 + 1  # statuses: MIGRATE_STATUS(code) = code + 1
lib.migrate_error_free.argtypes = [P]
lib.migrate_error_code.argtypes = [P]
for name in ("code_name", "message", "sqlstate"):
    f = getattr(lib, "migrate_error_" + name)
    f.argtypes = [P]
    f.restype = ctypes.c_char_p

checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print(f"FAILED: {what}", file=sys.stderr)
        raise SystemExit(1)
    print(f"ok {checks} - {what}")


class MigrateError(Exception):
    def __init__(self, err):
        self.code = lib.migrate_error_code(err)
        self.name = lib.migrate_error_code_name(err).decode()
        self.message = lib.migrate_error_message(err).decode()
        lib.migrate_error_free(err)
        super().__init__(f"{self.name}: {self.message}")


def take_string(p):
    s = ctypes.string_at(p.value).decode()
    lib.migrate_free_string(p)
    return s


def open_target(url, folder):
    o = TargetOptions()
    lib.migrate_target_options_init(ctypes.byref(o))
    o.url = url.encode()
    o.migrations_dir = folder.encode()
    o.lock_timeout_seconds = 10
    err = P()
    t = lib.migrate_target_open(ctypes.byref(o), ctypes.byref(err))
    if not t:
        raise MigrateError(err)
    return t


def status(t):
    out, err = P(), P()
    if lib.migrate_target_status_json(t, ctypes.byref(out), ctypes.byref(err)) != 0:
        raise MigrateError(err)
    return json.loads(take_string(out))


server = os.environ.get("MIGRATE_TEST_URL") or os.environ.get("MIGRATE_TEST_DEFAULT_URL") \
    or "mysql://migrate:migrate-local-pw@127.0.0.1:13306"
u = urllib.parse.urlsplit(server)
client = shutil.which("mariadb") or shutil.which("mysql")
database = f"capi_py_{os.getpid()}"


def sql(statement):
    return subprocess.run([client, f"-h{u.hostname}", f"-P{u.port or 3306}", f"-u{urllib.parse.unquote(u.username)}",
                           "-N", "-B", "-e", statement], check=True, capture_output=True, text=True,
                          env={**os.environ, "MYSQL_PWD": urllib.parse.unquote(u.password or "")}).stdout.strip()


def write(name, text):
    with open(os.path.join(folder, name), "w") as f:
        f.write(text)


def write_journal(tags):
    entries = [{"idx": i, "version": "5", "when": 1000 * (i + 1), "tag": tag, "breakpoints": True}
               for i, tag in enumerate(tags)]
    with open(os.path.join(folder, "meta", "_journal.json"), "w") as f:
        json.dump({"version": "7", "dialect": "mysql", "entries": entries}, f)


def fresh_database():
    sql(f"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}`")


def tracking_rows():
    return int(sql(f"SELECT COUNT(*) FROM `{database}`.`__drizzle_migrations`"))


def call_json(fn, *args):
    """Calls fn(*args, &json, &err); returns the parsed JSON (raises MigrateError)."""
    out, err = P(), P()
    if fn(*args, ctypes.byref(out), ctypes.byref(err)) != 0:
        raise MigrateError(err)
    return json.loads(take_string(out))


def run_ops():
    """Cancel, verify, lint, repair, resolve, baseline mark/create and run_at_startup."""
    err = P()
    # Bad input.
    check(lib.migrate_target_verify_json(None, 0, ctypes.byref(P()), ctypes.byref(err)) == INVALID,
          "verify NULL target: invalid_argument")
    lib.migrate_error_free(err)
    lo = LintOptions()
    lib.migrate_lint_options_init_sized(ctypes.byref(lo), ctypes.sizeof(lo))
    check(lo.struct_size == ctypes.sizeof(lo) and lo.foreign_keys == 1, "lint options init")
    small = LintOptions(struct_size=2)
    check(lib.migrate_lint_json(folder.encode(), ctypes.byref(small), ctypes.byref(P()), None) == INVALID,
          "lint small struct_size: invalid_argument")
    check(lib.migrate_target_resolve(None, b"x", 1, NO_EVENTS, None, None) == INVALID, "resolve NULL target")
    check(lib.migrate_run_at_startup(None, NO_EVENTS, None, None, None) == INVALID, "startup NULL options")

    # A third migration of four statements, for the cancel.
    write_journal(["0000_users", "0001_posts", "0002_more"])
    write("0002_more.sql", "\n--> statement-breakpoint\n".join(f"CREATE TABLE `{n}` (`id` int);" for n in "abcd"))
    t = open_target(url, folder)

    # Cancel with nothing running: the next call stops at once (and consumes it), the following one runs.
    lib.migrate_target_cancel(t)
    check(lib.migrate_target_up(t, None, NO_EVENTS, None, None, None) == INTERRUPTED, "pending cancel stops up")
    lib.migrate_target_cancel(t)
    lib.migrate_target_cancel_reset(t)
    v = call_json(lib.migrate_target_verify_json, t, 0)
    check(not v["ok"] and v["tracking"]["problems"][0]["kind"] == "missing_row", f"verify: 0002_more pending")

    # Cancel from another thread while the first statement of 0002_more runs.
    started, cancelled = threading.Event(), threading.Event()

    def canceller():
        if started.wait(20):
            lib.migrate_target_cancel(t)
        cancelled.set()

    @EVENT_FN
    def on_event(ev, user):
        e = ev.contents
        if e.kind == 5 and e.statement_index == 0 and not started.is_set():  # statement_started
            started.set()
            cancelled.wait(20)

    th = threading.Thread(target=canceller)
    th.start()
    rc = lib.migrate_target_up(t, None, on_event, None, None, ctypes.byref(err))
    th.join(30)
    check(rc == INTERRUPTED and MigrateError(err).name == "interrupted", "a thread's cancel stops up")
    tables = sql(f"SHOW TABLES FROM `{database}`").split()
    check("a" in tables and "b" not in tables and tracking_rows() == 2, "stopped after the first statement")
    r = call_json(lambda *a: lib.migrate_target_up(t, None, NO_EVENTS, None, *a))
    check(r["resumed"] == 1 and r["statements"] == 3 and tracking_rows() == 3, f"the next up resumes: {r}")

    # verify: ok; lint: the folder's document.
    v = call_json(lib.migrate_target_verify_json, t, 0)
    check(v["ok"] and v["tracking"]["rows"] == 3 and v["schema"] is None, "verify ok")
    lint = call_json(lib.migrate_lint_json, folder.encode(), ctypes.byref(lo))
    check(lint["schemaVersion"] == 1 and lint["folders"][0]["flavor"] == "mysql", "lint document")
    lib.migrate_target_free(t)

    # repair: an edited applied file gets its new hash recorded.
    write("0000_users.sql", "CREATE TABLE `users` (`id` int PRIMARY KEY); -- reviewed")
    t = open_target(url, folder)
    r = call_json(lambda *a: lib.migrate_target_repair(t, NO_EVENTS, None, *a))
    row_hash = sql(f"SELECT hash FROM `{database}`.`__drizzle_migrations` ORDER BY id LIMIT 1")
    check(r["repaired"][0]["tag"] == "0000_users" and r["repaired"][0]["file_hash"] == row_hash,
          "repair recorded the file's hash")

    # resolve: the second statement fails (its table exists); the operator says it took effect.
    write_journal(["0000_users", "0001_posts", "0002_more", "0003_clash"])
    write("0003_clash.sql", "CREATE TABLE `e` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `f` (`id` int);")
    sql(f"CREATE TABLE `{database}`.`f` (`id` int)")
    lib.migrate_target_free(t)
    t = open_target(url, folder)
    check(lib.migrate_target_up(t, None, NO_EVENTS, None, None, None) == 13 + 1, "up stops on server_error")
    check(lib.migrate_target_resolve(t, b"0000_users", 1, NO_EVENTS, None, None) == 23 + 1, "nothing_to_resolve")
    check(lib.migrate_target_resolve(t, b"0003_clash", 3, NO_EVENTS, None, None) == INVALID, "bad resolution")
    check(lib.migrate_target_resolve(t, b"0003_clash", 1, NO_EVENTS, None, None) == 0, "resolve applied")
    r = call_json(lambda *a: lib.migrate_target_up(t, None, NO_EVENTS, None, *a))
    check(r["applied"] == 1 and r["statements"] == 0 and tracking_rows() == 4, f"resolved statement skipped: {r}")
    lib.migrate_target_free(t)

    # baseline mark on a database built by hand.
    fresh_database()
    sql(f"CREATE TABLE `{database}`.`users` (`id` int); CREATE TABLE `{database}`.`posts` (`id` int)")
    t = open_target(url, folder)
    recorded = ctypes.c_uint64(0)
    check(lib.migrate_target_mark_baseline(t, b"0001_posts", NO_EVENTS, None, ctypes.byref(recorded), None) == 0
          and recorded.value == 2 and tracking_rows() == 2, "baseline mark recorded 2 rows")
    check(lib.migrate_target_mark_baseline(t, b"0001_posts", NO_EVENTS, None, None, None) == 29 + 1,
          "history_exists")
    # baseline create through 0001_posts.
    bo = BaselineOptions()
    lib.migrate_baseline_options_init_sized(ctypes.byref(bo), ctypes.sizeof(bo))
    bo.through = b"0001_posts"
    b = call_json(lib.migrate_target_baseline_create, t, ctypes.byref(bo))
    check(b["through"] == "0001_posts" and b["migrations"] == 2, f"baseline create: {b}")
    check(os.path.getsize(os.path.join(folder, "baseline", "baseline.json")) > 0, "baseline.json written")
    lib.migrate_target_free(t)

    # run_at_startup: a cancelled token refuses; reset, it applies from the baseline.
    fresh_database()
    to = TargetOptions()
    lib.migrate_target_options_init(ctypes.byref(to))
    to.url, to.migrations_dir, to.lock_timeout_seconds = url.encode(), folder.encode(), 10
    so = StartupOptions()
    lib.migrate_startup_options_init_sized(ctypes.byref(so), ctypes.sizeof(so))
    so.target = ctypes.pointer(to)
    token = lib.migrate_cancel_token_new()
    so.cancel = token
    lib.migrate_cancel_token_cancel(token)
    out = P()
    check(lib.migrate_run_at_startup(ctypes.byref(so), NO_EVENTS, None, ctypes.byref(out), None) == INTERRUPTED,
          "a cancelled token stops run_at_startup")
    check(json.loads(take_string(out))["error"]["code"] == "interrupted", "report says interrupted")
    lib.migrate_cancel_token_reset(token)
    r = call_json(lambda *a: lib.migrate_run_at_startup(ctypes.byref(so), NO_EVENTS, None, *a))
    check(r["ok"] and r["baseline_covered"] == 2 and tracking_rows() == 4,
          f"run_at_startup: {r}")
    lib.migrate_cancel_token_free(token)


folder = tempfile.mkdtemp(prefix="migrate-ctypes-")
try:
    check(lib.migrate_abi_version() == 1, "migrate_abi_version() == 1")
    check(lib.migrate_version().decode() != "", "migrate_version() = " + lib.migrate_version().decode())

    os.makedirs(os.path.join(folder, "meta"))
    entries = [{"idx": i, "version": "5", "when": 1000 * (i + 1), "tag": tag, "breakpoints": True}
               for i, tag in enumerate(["0000_users", "0001_posts"])]
    with open(os.path.join(folder, "meta", "_journal.json"), "w") as f:
        json.dump({"version": "7", "dialect": "mysql", "entries": entries}, f)
    with open(os.path.join(folder, "0000_users.sql"), "w") as f:
        f.write("CREATE TABLE `users` (`id` int PRIMARY KEY);")
    with open(os.path.join(folder, "0001_posts.sql"), "w") as f:
        f.write("CREATE TABLE `posts` (`id` int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO `posts` VALUES (1);")

    sql(f"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}`")
    url = f"{server.rstrip('/')}/{database}"

    try:
        open_target("mysql://u:topsecret@h:notaport/x", folder)
        check(False, "a bad URL is refused")
    except MigrateError as e:
        check(e.name == "url_invalid" and e.code == 6, f"bad URL: {e.name} ({e.code})")
        check("topsecret" not in e.message, "the message hides the password")

    err = P()
    check(lib.migrate_target_open(None, ctypes.byref(err)) is None, "NULL options: no handle")
    e = MigrateError(err)
    check(e.name == "invalid_argument" and e.code == 1000, "NULL options: invalid_argument")

    t = open_target(url, folder)
    s = status(t)
    check(s["pending"] == 2 and s["applied"] == 0, "status: 2 pending")
    check([m["tag"] for m in s["migrations"]] == ["0000_users", "0001_posts"], "status lists the migrations")

    out = P()
    check(lib.migrate_target_plan_json(t, None, ctypes.byref(out), ctypes.byref(err)) == 0, "plan")
    plan = json.loads(take_string(out))
    check(plan["refused"] is None and len(plan["migrations"]) == 2, "plan: 2 migrations, not refused")

    events = []
    records = []
    token = ctypes.c_int(42)

    @EVENT_FN
    def on_event(ev, user):
        e = ev.contents
        events.append((e.kind, e.tag.decode() if e.tag else None, ctypes.cast(user, ctypes.POINTER(ctypes.c_int)).contents.value))
        if e.struct_size >= ctypes.sizeof(Event):
            records.append((e.level, e.readiness, json.loads(e.json.decode())))

    logged = []

    @EVENT_FN
    def on_log(ev, user):
        logged.append(json.loads(ev.contents.json.decode()))

    check(lib.migrate_target_set_log(t, 1, on_log, None, ctypes.byref(err)) == 0, "set_log at info")
    check(lib.migrate_target_readiness(t) == 0, "readiness starting before any call")

    up = UpOptions()
    lib.migrate_up_options_init(ctypes.byref(up))
    report = P()
    rc = lib.migrate_target_up(t, ctypes.byref(up), on_event, ctypes.cast(ctypes.byref(token), P),
                               ctypes.byref(report), ctypes.byref(err))
    if rc != 0:
        raise MigrateError(err)
    r = json.loads(take_string(report))
    check(r["ok"] and r["applied"] == 2 and r["statements"] == 3, f"up applied 2 migrations: {r}")
    check([s["tag"] for s in r["steps"]] == ["0000_users", "0001_posts"], "up report steps")
    check(all(u == 42 for _, _, u in events), "user_data round trip")
    check(sum(1 for k, _, _ in events if k == 8) == 2, "two migration_finished events")
    check(events[-1][0] == 9, "run_finished last")
    check(len(records) == len(events), "every event has the log fields")
    check(records[-1][1] == 3 and records[-1][2]["readiness"] == "done", "readiness done after the run")
    check(lib.migrate_target_readiness(t) == 3, "the handle's readiness: done")
    debug = [r for r in records if r[0] == 0]
    check(len(debug) == 6 and all(r[2]["level"] == "debug" and "line" in r[2] for r in debug),
          "statements at debug, with their line")
    check([r["event"] for r in logged] == [r[2]["event"] for r in records if r[0] >= 1],
          "the log callback got the info records, in order")
    check(all(r["target"] == database for r in logged), "records name the database")
    s = status(t)
    check(s["applied"] == 2 and s["pending"] == 0, "status after up: 2 applied")
    lib.migrate_target_free(t)
    run_ops()
    lib.migrate_target_free(None)
    lib.migrate_error_free(None)
    lib.migrate_free_string(None)
    print(f"# all {checks} checks passed")
finally:
    shutil.rmtree(folder, ignore_errors=True)
    try:
        sql(f"DROP DATABASE IF EXISTS `{database}`")
    except Exception as e:  # noqa: BLE001
        print(f"could not drop {database}: {e}", file=sys.stderr)
