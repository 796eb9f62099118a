/* The C API's operations beyond status/plan/up (migrate.h, "Cancel, verify, lint, baseline, repair, resolve,
 * run_at_startup") from a plain C program, against the real server with scratch databases: cancelling from a
 * thread and from a signal handler, then resuming; verify, lint, repair, resolve, baseline mark and create,
 * run_at_startup; and every function's bad-input paths. Exits non-zero at the first failure.
 * MIGRATE_TEST_URL = mysql://user:pass@host:port. */
#include <migrate.h>

#include "c_test_support.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char url[700];

/* The first column of the first row of `q` into out ("" when no row). */
static void sql_value(const char* q, char* out, size_t size) {
    sql(q);
    MYSQL_RES* res = mysql_store_result(conn);
    MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
    snprintf(out, size, "%s", row && row[0] ? row[0] : "");
    if (res) mysql_free_result(res);
}

static long sql_count(const char* q) {
    char v[64];
    sql_value(q, v, sizeof v);
    return atol(v);
}

static long tables_in_db(void) {
    char q[256];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '%s'", database);
    return sql_count(q);
}

static int table_exists(const char* name) {
    char q[256];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '%s' AND table_name = '%s'", database,
             name);
    return sql_count(q) == 1;
}

static long tracking_rows(void) {
    char q[256];
    if (!table_exists("__drizzle_migrations")) return 0;
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM `%s`.`__drizzle_migrations`", database);
    return sql_count(q);
}

/* A new empty scratch database. */
static void fresh_database(void) {
    char q[256];
    snprintf(q, sizeof q, "DROP DATABASE IF EXISTS `%s`", database);
    sql(q);
    snprintf(q, sizeof q, "CREATE DATABASE `%s`", database);
    sql(q);
    snprintf(q, sizeof q, "USE `%s`", database);
    sql(q);
}

static void write_file(const char* dir, const char* name, const char* text) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_text(path, text);
}

/* The journal of `n` migrations named by tags[]. */
static void write_journal(const char* dir, const char* const* tags, int n) {
    char journal[2048] = "{\"version\":\"7\",\"dialect\":\"mysql\",\"entries\":[";
    for (int i = 0; i < n; ++i) {
        char e[256];
        snprintf(e, sizeof e, "%s{\"idx\":%d,\"version\":\"5\",\"when\":%d,\"tag\":\"%s\",\"breakpoints\":true}",
                 i ? "," : "", i, 1000 * (i + 1), tags[i]);
        strcat(journal, e);
    }
    strcat(journal, "]}");
    char meta[600];
    snprintf(meta, sizeof meta, "%s/meta", dir);
    mkdir(meta, 0700);
    write_file(dir, "meta/_journal.json", journal);
}

static migrate_target* open_target(const char* dir) {
    migrate_target_options o;
    migrate_target_options_init(&o);
    o.url = url;
    o.migrations_dir = dir;
    o.lock_timeout_seconds = 30;
    migrate_error* err = NULL;
    migrate_target* t = migrate_target_open(&o, &err);
    if (!t) fprintf(stderr, "open: %s\n", migrate_error_message(err));
    migrate_error_free(err);
    return t;
}

/* ---- cancelling: a thread waits for the statement to start, cancels, and lets it go on. */

struct canceller {
    int started[2]; /* the event callback writes when statement 0 started */
    int done[2];    /* the cancelling thread writes once it cancelled */
    migrate_target* target;
    migrate_cancel_token* token;
    int cancelled;
};

/* Waits for one byte on fd for at most 20 s; 1 when it came. */
static int wait_byte(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    char b;
    return poll(&p, 1, 20000) == 1 && read(fd, &b, 1) == 1;
}

static void* cancel_thread(void* arg) {
    struct canceller* c = (struct canceller*)arg;
    if (wait_byte(c->started[0])) {
        if (c->target) migrate_target_cancel(c->target);
        if (c->token) migrate_cancel_token_cancel(c->token);
        c->cancelled = 1;
    }
    if (write(c->done[1], "x", 1) != 1) abort();
    return NULL;
}

/* On the first statement's start: wake the canceller and wait (bounded) until it cancelled, so the cancel
   lands while `up` runs, before its next statement. */
static void on_event_cancel(const migrate_event* ev, void* user_data) {
    struct canceller* c = (struct canceller*)user_data;
    if (ev->kind == MIGRATE_EVENT_STATEMENT_STARTED && ev->statement_index == 0 && !c->cancelled) {
        if (write(c->started[1], "x", 1) != 1) abort();
        if (!wait_byte(c->done[0])) abort();
    }
}

static migrate_target* volatile signal_target = NULL;
static void on_sigusr1(int sig) {
    (void)sig;
    migrate_target_cancel(signal_target); /* async-signal-safe: one lock-free atomic store */
}

static void on_event_raise(const migrate_event* ev, void* user_data) {
    int* raised = (int*)user_data;
    if (ev->kind == MIGRATE_EVENT_STATEMENT_STARTED && ev->statement_index == 0 && ev->tag &&
        strcmp(ev->tag, "0001_posts") == 0 && !*raised) {
        *raised = 1;
        raise(SIGUSR1); /* the handler runs now, on this thread, while `up` is in its statement */
    }
}

static void on_event_token(const migrate_event* ev, void* user_data) {
    if (ev->kind == MIGRATE_EVENT_STATEMENT_STARTED && ev->statement_index == 0 && ev->tag &&
        strcmp(ev->tag, "0001_posts") == 0)
        migrate_cancel_token_cancel((migrate_cancel_token*)user_data);
}

static int events_seen = 0;
static void count_events(const migrate_event* ev, void* user_data) {
    (void)ev;
    (void)user_data;
    ++events_seen;
}

int main(void) {
    const char* env = getenv("MIGRATE_TEST_URL");
    parse_url(env && *env ? env : MIGRATE_TEST_DEFAULT_URL);
    migrate_error* err = NULL;
    char* json = NULL;
    int status;

    /* ---- Bad input: NULL and struct sizes, before any server. */
    migrate_target_cancel(NULL);
    migrate_target_cancel_reset(NULL);
    migrate_cancel_token_cancel(NULL);
    migrate_cancel_token_reset(NULL);
    migrate_cancel_token_free(NULL);
    CHECK(migrate_cancel_token_is_cancelled(NULL) == 0);
    const int invalid = MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT);
    CHECK(migrate_target_verify_json(NULL, 0, &json, &err) == invalid && json == NULL &&
          migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
    migrate_error_free(err);
    CHECK(migrate_lint_json(NULL, NULL, &json, &err) == invalid);
    migrate_error_free(err);
    CHECK(migrate_lint_json("/tmp", NULL, NULL, NULL) == invalid);
    CHECK(migrate_target_baseline_create(NULL, NULL, NULL, &err) == invalid);
    migrate_error_free(err);
    CHECK(migrate_target_mark_baseline(NULL, "0000_users", NULL, NULL, NULL, &err) == invalid);
    migrate_error_free(err);
    CHECK(migrate_target_repair(NULL, NULL, NULL, NULL, &err) == invalid);
    migrate_error_free(err);
    CHECK(migrate_target_resolve(NULL, "0000_users", MIGRATE_RESOLUTION_APPLIED, NULL, NULL, &err) == invalid);
    migrate_error_free(err);
    CHECK(migrate_run_at_startup(NULL, NULL, NULL, NULL, &err) == invalid);
    migrate_error_free(err);
    CHECK(migrate_run_at_startup(NULL, NULL, NULL, NULL, NULL) == invalid);
    {
        migrate_lint_options lo;
        migrate_lint_options_init(&lo);
        CHECK(lo.struct_size == sizeof lo && lo.flavor == MIGRATE_FLAVOR_MYSQL && lo.foreign_keys == 1);
        lo.struct_size = 2;
        CHECK(migrate_lint_json("/tmp", &lo, &json, &err) == invalid);
        migrate_error_free(err);
        migrate_lint_options_init(&lo);
        lo.flavor = 42;
        CHECK(migrate_lint_json("/tmp", &lo, &json, &err) == invalid && strstr(migrate_error_message(err), "flavor"));
        migrate_error_free(err);
        migrate_startup_options so;
        migrate_startup_options_init(&so);
        CHECK(so.struct_size == sizeof so && so.target == NULL && so.cancel == NULL);
        CHECK(migrate_run_at_startup(&so, NULL, NULL, NULL, &err) == invalid); /* target NULL */
        migrate_error_free(err);
        so.struct_size = 3;
        CHECK(migrate_run_at_startup(&so, NULL, NULL, NULL, &err) == invalid);
        migrate_error_free(err);
        migrate_baseline_options bo;
        migrate_baseline_options_init(&bo);
        CHECK(bo.struct_size == sizeof bo && bo.through == NULL);
        migrate_startup_options_init_sized(NULL, sizeof so);
        migrate_lint_options_init_sized(NULL, sizeof lo);
        migrate_baseline_options_init_sized(NULL, sizeof bo);
    }

    /* ---- Scratch folder and database. */
    const char* tmp = getenv("TMPDIR");
    snprintf(folder, sizeof folder, "%s/migrate-capi-ops-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
    CHECK(mkdtemp(folder) != NULL);
    const char* tags[] = {"0000_users", "0001_posts", "0002_more"};
    write_journal(folder, tags, 3);
    write_file(folder, "0000_users.sql", "CREATE TABLE `users` (`id` int PRIMARY KEY);");
    write_file(
        folder, "0001_posts.sql",
        "CREATE TABLE `posts` (`id` int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO `posts` VALUES (1);");
    /* Four statements: a cancel during the first stops before the second. */
    write_file(folder, "0002_more.sql",
               "CREATE TABLE `a` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `b` (`id` int);\n"
               "--> statement-breakpoint\nCREATE TABLE `c` (`id` int);\n--> statement-breakpoint\n"
               "CREATE TABLE `d` (`id` int);");

    conn = mysql_init(NULL);
    CHECK(conn != NULL);
    CHECK(mysql_real_connect(conn, host, user, password, NULL, port, NULL, 0) != NULL);
    snprintf(database, sizeof database, "capi_ops_%ld", (long)getpid());
    fresh_database();
    snprintf(url, sizeof url, "%s/%s", server_url, database);

    /* ---- Lint: folder only, no connection. */
    {
        char lint_dir[300];
        snprintf(lint_dir, sizeof lint_dir, "%s/lint", folder);
        CHECK(mkdir(lint_dir, 0700) == 0);
        const char* lint_tags[] = {"0000_drop"};
        write_journal(lint_dir, lint_tags, 1);
        write_file(lint_dir, "0000_drop.sql",
                   "CREATE TABLE `x` (`id` int);\n--> statement-breakpoint\nDROP TABLE `x`;");
        CHECK(migrate_lint_json(lint_dir, NULL, &json, &err) == MIGRATE_OK && err == NULL);
        printf("# lint: %.300s\n", json);
        CHECK(strstr(json, "\"schemaVersion\":1") != NULL);
        CHECK(strstr(json, "\"rule\":\"destructive-drop-table\"") != NULL);
        CHECK(strstr(json, "\"flavor\":\"mysql\"") != NULL);
        migrate_free_string(json);
        migrate_lint_options lo;
        migrate_lint_options_init(&lo);
        lo.flavor = MIGRATE_FLAVOR_MARIADB;
        CHECK(migrate_lint_json(lint_dir, &lo, &json, &err) == MIGRATE_OK);
        CHECK(strstr(json, "\"flavor\":\"mariadb\"") != NULL && strstr(json, "\"summary\":{") != NULL);
        migrate_free_string(json);
        /* A folder that cannot be read is a finding, not an error. */
        CHECK(migrate_lint_json("/nonexistent/capi-folder", NULL, &json, &err) == MIGRATE_OK);
        CHECK(strstr(json, "\"findings\":[{") != NULL);
        migrate_free_string(json);
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", lint_dir);
        CHECK(system(cmd) == 0);
    }

    /* ---- Cancel with nothing running: the next call stops at once, the one after runs. */
    migrate_target* t = open_target(folder);
    CHECK(t != NULL);
    migrate_target_cancel(t);
    CHECK(migrate_target_up(t, NULL, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INTERRUPTED));
    CHECK(migrate_error_code(err) == MIGRATE_ERRC_INTERRUPTED && tables_in_db() == 0);
    migrate_error_free(err);
    /* A cancel, then its reset: nothing pending; verify runs (and its check consumed nothing). */
    migrate_target_cancel(t);
    migrate_target_cancel_reset(t);
    CHECK(migrate_target_verify_json(t, 0, &json, &err) == MIGRATE_OK);
    CHECK(strstr(json, "\"kind\":\"table_missing\"") != NULL && strstr(json, "\"ok\":false") != NULL);
    migrate_free_string(json);
    /* A pending cancel stops the next call of any kind, e.g. repair, and is consumed by it. */
    migrate_target_cancel(t);
    CHECK(migrate_target_repair(t, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INTERRUPTED));
    migrate_error_free(err);

    /* ---- Cancel from another thread while `up` runs: it stops between statements; the next up resumes. */
    {
        struct canceller c;
        memset(&c, 0, sizeof c);
        CHECK(pipe(c.started) == 0 && pipe(c.done) == 0);
        c.target = t;
        migrate_up_options up;
        migrate_up_options_init(&up);
        up.to = "0001_posts";
        CHECK(migrate_target_up(t, &up, NULL, NULL, NULL, &err) == MIGRATE_OK); /* nothing pending: consumed */
        pthread_t th;
        CHECK(pthread_create(&th, NULL, cancel_thread, &c) == 0);
        status = migrate_target_up(t, NULL, on_event_cancel, &c, NULL, &err);
        CHECK(pthread_join(th, NULL) == 0);
        CHECK(c.cancelled == 1);
        CHECK(status == MIGRATE_STATUS(MIGRATE_ERRC_INTERRUPTED));
        printf("# interrupted: %s\n", migrate_error_message(err));
        migrate_error_free(err);
        CHECK(table_exists("a") && !table_exists("b") && tracking_rows() == 2);
        char* report = NULL;
        CHECK(migrate_target_up(t, NULL, NULL, NULL, &report, &err) == MIGRATE_OK);
        CHECK(strstr(report, "\"resumed\":1") != NULL && strstr(report, "\"statements\":3") != NULL);
        migrate_free_string(report);
        CHECK(table_exists("d") && tracking_rows() == 3);
        close(c.started[0]), close(c.started[1]), close(c.done[0]), close(c.done[1]);
    }

    /* ---- Cancel from a signal handler. */
    {
        fresh_database();
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigusr1;
        sigemptyset(&sa.sa_mask);
        CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
        signal_target = t;
        int raised = 0;
        CHECK(migrate_target_up(t, NULL, on_event_raise, &raised, NULL, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_INTERRUPTED));
        migrate_error_free(err);
        /* Stopped after CREATE posts, before its INSERT; 0000_users is recorded. */
        CHECK(raised == 1 && table_exists("posts") && tracking_rows() == 1);
        CHECK(sql_count("SELECT COUNT(*) FROM `posts`") == 0);
        CHECK(migrate_target_up(t, NULL, NULL, NULL, NULL, &err) == MIGRATE_OK);
        CHECK(table_exists("d") && tracking_rows() == 3);
        signal(SIGUSR1, SIG_DFL);
    }

    /* ---- verify: tracking ok; the schema check needs a snapshot this folder does not have. */
    CHECK(migrate_target_verify_json(t, 0, NULL, &err) == invalid);
    migrate_error_free(err);
    CHECK(migrate_target_verify_json(t, 0, &json, &err) == MIGRATE_OK && err == NULL);
    printf("# verify: %s\n", json);
    CHECK(strstr(json, "\"tracking\":{\"ok\":true,\"migrations\":3,\"rows\":3") != NULL);
    CHECK(strstr(json, "\"schema\":null") != NULL && strstr(json, "\"ok\":true}") != NULL);
    CHECK(strstr(json, password) == NULL);
    migrate_free_string(json);
    CHECK(migrate_target_verify_json(t, 1, &json, &err) == MIGRATE_STATUS(MIGRATE_ERRC_SNAPSHOT_INVALID));
    CHECK(json == NULL);
    migrate_error_free(err);
    migrate_target_free(t);

    /* ---- repair: an applied file edited deliberately; verify sees it, repair records the new hash. */
    write_file(folder, "0000_users.sql", "CREATE TABLE `users` (`id` int PRIMARY KEY); -- reviewed");
    t = open_target(folder);
    CHECK(t != NULL);
    CHECK(migrate_target_verify_json(t, 0, &json, &err) == MIGRATE_OK);
    CHECK(strstr(json, "\"kind\":\"hash_differs\"") != NULL && strstr(json, "\"tag\":\"0000_users\"") != NULL);
    migrate_free_string(json);
    events_seen = 0;
    CHECK(migrate_target_repair(t, count_events, NULL, &json, &err) == MIGRATE_OK);
    printf("# repair: %s (%d events)\n", json, events_seen);
    CHECK(strstr(json, "\"repaired\":[{\"tag\":\"0000_users\"") != NULL);
    {
        char q[256], hash[128], needle[200];
        snprintf(q, sizeof q, "SELECT hash FROM `%s`.`__drizzle_migrations` ORDER BY id LIMIT 1", database);
        sql_value(q, hash, sizeof hash);
        snprintf(needle, sizeof needle, "\"file_hash\":\"%s\"", hash);
        CHECK(strlen(hash) == 64 && strstr(json, needle) != NULL); /* the row now holds the file's hash */
    }
    migrate_free_string(json);
    CHECK(migrate_target_repair(t, NULL, NULL, &json, &err) == MIGRATE_OK);
    CHECK(strcmp(json, "{\"repaired\":[]}") == 0);
    migrate_free_string(json);
    migrate_target_free(t);

    /* ---- resolve: a run stopped on a failed statement; the operator says it took effect. */
    {
        const char* tags4[] = {"0000_users", "0001_posts", "0002_more", "0003_clash"};
        write_journal(folder, tags4, 4);
        write_file(folder, "0003_clash.sql",
                   "CREATE TABLE `e` (`id` int);\n--> statement-breakpoint\nCREATE TABLE `f` (`id` int);");
        sql("CREATE TABLE `f` (`id` int)"); /* made by hand: the migration's second statement fails */
        t = open_target(folder);
        CHECK(t != NULL);
        CHECK(migrate_target_up(t, NULL, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_SERVER_ERROR));
        CHECK(strcmp(migrate_error_tag(err), "0003_clash") == 0 && migrate_error_statement(err) == 1);
        migrate_error_free(err);
        CHECK(migrate_target_resolve(t, "0003_clash", 7, NULL, NULL, &err) == invalid);
        migrate_error_free(err);
        CHECK(migrate_target_resolve(t, NULL, MIGRATE_RESOLUTION_APPLIED, NULL, NULL, &err) == invalid);
        migrate_error_free(err);
        CHECK(migrate_target_resolve(t, "0000_users", MIGRATE_RESOLUTION_APPLIED, NULL, NULL, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_NOTHING_TO_RESOLVE));
        migrate_error_free(err);
        CHECK(migrate_target_resolve(t, "0003_clash", MIGRATE_RESOLUTION_APPLIED, NULL, NULL, &err) == MIGRATE_OK);
        char* report = NULL;
        CHECK(migrate_target_up(t, NULL, NULL, NULL, &report, &err) == MIGRATE_OK);
        printf("# after resolve: %s\n", report);
        CHECK(strstr(report, "\"applied\":1") != NULL && strstr(report, "\"statements\":0") != NULL);
        migrate_free_string(report);
        CHECK(tracking_rows() == 4);
        migrate_target_free(t);
    }

    /* ---- baseline mark: a database built by hand is adopted. */
    {
        fresh_database();
        sql("CREATE TABLE `users` (`id` int PRIMARY KEY)");
        sql("CREATE TABLE `posts` (`id` int PRIMARY KEY)");
        t = open_target(folder);
        CHECK(t != NULL);
        uint64_t recorded = 99;
        CHECK(migrate_target_mark_baseline(t, NULL, NULL, NULL, &recorded, &err) == invalid && recorded == 0);
        migrate_error_free(err);
        CHECK(migrate_target_mark_baseline(t, "9999_nope", NULL, NULL, &recorded, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_TARGET_NOT_FOUND));
        migrate_error_free(err);
        CHECK(migrate_target_mark_baseline(t, "0001_posts", NULL, NULL, &recorded, &err) == MIGRATE_OK);
        CHECK(recorded == 2 && tracking_rows() == 2);
        CHECK(migrate_target_mark_baseline(t, "0001_posts", NULL, NULL, NULL, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_HISTORY_EXISTS));
        migrate_error_free(err);
        migrate_target_free(t);
    }

    /* ---- run_at_startup: applies, then finds nothing; a refusal fails or starts anyway; a token cancels. */
    {
        fresh_database();
        migrate_target_options to;
        migrate_target_options_init(&to);
        to.url = url;
        to.migrations_dir = folder;
        to.lock_timeout_seconds = 30;
        migrate_startup_options so;
        migrate_startup_options_init(&so);
        so.target = &to;
        migrate_cancel_token* token = migrate_cancel_token_new();
        CHECK(token != NULL && migrate_cancel_token_is_cancelled(token) == 0);
        so.cancel = token;
        /* Cancelled while its first statement runs: stops there, reports interrupted. */
        CHECK(migrate_run_at_startup(&so, on_event_token, token, &json, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_INTERRUPTED));
        printf("# startup cancelled: %s\n", json);
        CHECK(strstr(json, "\"ok\":false") != NULL && strstr(json, "\"code\":\"interrupted\"") != NULL);
        migrate_free_string(json);
        migrate_error_free(err);
        CHECK(table_exists("posts") && tracking_rows() == 1 && sql_count("SELECT COUNT(*) FROM `posts`") == 0);
        /* The token stays cancelled: the next call refuses to start. */
        CHECK(migrate_cancel_token_is_cancelled(token) == 1);
        CHECK(migrate_run_at_startup(&so, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INTERRUPTED));
        migrate_error_free(err);
        migrate_cancel_token_reset(token);
        events_seen = 0;
        CHECK(migrate_run_at_startup(&so, count_events, NULL, &json, &err) == MIGRATE_OK && err == NULL);
        printf("# startup: %s\n", json);
        CHECK(strstr(json, "\"ok\":true,\"applied\":3,\"resumed\":1") != NULL);
        CHECK(strstr(json, "\"pending_before\":3") != NULL && strstr(json, "\"error\":null") != NULL);
        CHECK(events_seen > 0 && tracking_rows() == 4);
        migrate_free_string(json);
        CHECK(migrate_run_at_startup(&so, NULL, NULL, &json, &err) == MIGRATE_OK);
        CHECK(strstr(json, "\"applied\":0") != NULL);
        migrate_free_string(json);
        /* An applied migration edited: refused; fail reports it, start_anyway starts. */
        write_file(folder, "0001_posts.sql", "CREATE TABLE `posts` (`id` int PRIMARY KEY); -- edited");
        CHECK(migrate_run_at_startup(&so, NULL, NULL, &json, &err) == MIGRATE_STATUS(MIGRATE_ERRC_MIGRATION_CHANGED));
        CHECK(strstr(json, "\"ok\":false") != NULL && strstr(json, "\"code\":\"migration_changed\"") != NULL);
        CHECK(migrate_error_code(err) == MIGRATE_ERRC_MIGRATION_CHANGED);
        migrate_free_string(json);
        migrate_error_free(err);
        so.on_validation_error = MIGRATE_ON_VALIDATION_ERROR_START_ANYWAY;
        CHECK(migrate_run_at_startup(&so, NULL, NULL, &json, &err) == MIGRATE_OK && err == NULL);
        CHECK(strstr(json, "\"validation_refused\":true") != NULL && strstr(json, "\"ok\":true") != NULL);
        migrate_free_string(json);
        so.on_validation_error = 5;
        CHECK(migrate_run_at_startup(&so, NULL, NULL, NULL, &err) == invalid);
        migrate_error_free(err);
        /* Bad target options come back as migrate_target_open says them. */
        so.on_validation_error = MIGRATE_ON_VALIDATION_ERROR_FAIL;
        to.url = "mysql://u:p@h:notaport/x";
        CHECK(migrate_run_at_startup(&so, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_URL_INVALID));
        migrate_error_free(err);
        migrate_cancel_token_free(token);
        write_file(
            folder, "0001_posts.sql",
            "CREATE TABLE `posts` (`id` int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO `posts` VALUES (1);");
    }

    /* ---- baseline create: writes baseline.json and snapshot.sql; the target database is not touched. */
    {
        t = open_target(folder);
        CHECK(t != NULL);
        migrate_baseline_options bo;
        migrate_baseline_options_init(&bo);
        bo.through = "0001_posts";
        bo.struct_size = 1;
        CHECK(migrate_target_baseline_create(t, &bo, &json, &err) == invalid);
        migrate_error_free(err);
        migrate_baseline_options_init(&bo);
        bo.through = "0001_posts";
        CHECK(migrate_target_baseline_create(t, &bo, &json, &err) == MIGRATE_OK);
        printf("# baseline create: %s\n", json);
        CHECK(strstr(json, "\"through\":\"0001_posts\",\"migrations\":2,") != NULL);
        migrate_free_string(json);
        char path[600];
        struct stat st;
        snprintf(path, sizeof path, "%s/baseline/baseline.json", folder);
        CHECK(stat(path, &st) == 0 && st.st_size > 0);
        snprintf(path, sizeof path, "%s/baseline/snapshot.sql", folder);
        CHECK(stat(path, &st) == 0 && st.st_size > 0);
        CHECK(tracking_rows() == 4);
        migrate_target_free(t);
        /* A fresh database now starts from that baseline. */
        fresh_database();
        t = open_target(folder);
        char* report = NULL;
        CHECK(migrate_target_up(t, NULL, NULL, NULL, &report, &err) == MIGRATE_OK);
        CHECK(strstr(report, "\"baseline_covered\":2") != NULL);
        migrate_free_string(report);
        migrate_target_free(t);
    }

    cleanup();
    mysql_close(conn);
    printf("# all %d checks passed\n", checks);
    return 0;
}
