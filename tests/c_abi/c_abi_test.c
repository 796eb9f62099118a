/* The C API (migrate.h) from a plain C program: every function, the error paths and a real `up`.
 * Prints each check; exits non-zero at the first failure. MIGRATE_TEST_URL = mysql://user:pass@host:port. */
#include <migrate.h>

#include "c_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The journal of 0000_users, 0001_posts and a third migration `tag` holding `sql`; `path` gets its file. */
static void add_third_migration(const char* dir, char* path, size_t size, const char* tag, const char* sql) {
    char journal[1024];
    snprintf(path, size, "%s/meta/_journal.json", dir);
    snprintf(journal, sizeof journal,
             "{\"version\":\"7\",\"dialect\":\"mysql\",\"entries\":["
             "{\"idx\":0,\"version\":\"5\",\"when\":1000,\"tag\":\"0000_users\",\"breakpoints\":true},"
             "{\"idx\":1,\"version\":\"5\",\"when\":2000,\"tag\":\"0001_posts\",\"breakpoints\":true},"
             "{\"idx\":2,\"version\":\"5\",\"when\":3000,\"tag\":\"%s\",\"breakpoints\":true}]}",
             tag);
    write_text(path, journal);
    snprintf(path, size, "%s/%s.sql", dir, tag);
    write_text(path, sql);
}

struct counts {
    int magic;
    int events;
    int run_started, migration_finished, statement_finished, run_finished;
    char last_tag[64];
    int debug_events, json_lines, last_readiness;
};

/* The handle's log callback (migrate_target_set_log): what it saw of a failed run. */
struct log_seen {
    int records, below_min_level, run_failed;
    unsigned failure_errno;
    char failure_sqlstate[8], failure_code[32];
    int failure_readiness;
    char last_json[2048];
};

static void on_log(const migrate_event* ev, void* user_data) {
    struct log_seen* s = (struct log_seen*)user_data;
    if (!MIGRATE_HAS_EVENT_FIELD(ev, failure)) abort();
    s->records++;
    if (ev->level < MIGRATE_LOG_WARNING) s->below_min_level++;
    snprintf(s->last_json, sizeof s->last_json, "%s", ev->json);
    if (ev->kind == MIGRATE_EVENT_RUN_FAILED && ev->failure) {
        s->run_failed++;
        s->failure_errno = migrate_error_server_errno(ev->failure);
        snprintf(s->failure_sqlstate, sizeof s->failure_sqlstate, "%s", migrate_error_sqlstate(ev->failure));
        snprintf(s->failure_code, sizeof s->failure_code, "%s", migrate_error_code_name(ev->failure));
        s->failure_readiness = ev->readiness;
    }
}

static void on_event(const migrate_event* ev, void* user_data) {
    struct counts* c = (struct counts*)user_data;
    if (c->magic != 0x5eed) abort();
    if (ev->struct_size < sizeof(migrate_event)) abort();
    c->events++;
    switch (ev->kind) {
        case MIGRATE_EVENT_RUN_STARTED: c->run_started++; break;
        case MIGRATE_EVENT_STATEMENT_FINISHED: c->statement_finished++; break;
        case MIGRATE_EVENT_MIGRATION_FINISHED:
            c->migration_finished++;
            if (ev->tag) snprintf(c->last_tag, sizeof c->last_tag, "%s", ev->tag);
            break;
        case MIGRATE_EVENT_RUN_FINISHED: c->run_finished++; break;
        default: break;
    }
    if (ev->detail == NULL || ev->holder == NULL || ev->json == NULL) abort();
    if (ev->level == MIGRATE_LOG_DEBUG) c->debug_events++;
    if (ev->json[0] == '{' && strstr(ev->json, migrate_event_kind_name(ev->kind)) != NULL) c->json_lines++;
    c->last_readiness = ev->readiness;
}

int main(void) {
    const char* env = getenv("MIGRATE_TEST_URL");
    parse_url(env && *env ? env : MIGRATE_TEST_DEFAULT_URL);

    /* Versions. */
    CHECK(strcmp(migrate_version(), "") != 0);
    CHECK(migrate_abi_version() == MIGRATE_ABI_VERSION);
    CHECK(migrate_driver_abi_version() >= 1);
    printf("# libmigrate %s, C ABI %u\n", migrate_version(), migrate_abi_version());

    /* free(NULL) and NULL accessors. */
    migrate_error_free(NULL);
    migrate_target_free(NULL);
    migrate_free_string(NULL);
    CHECK(migrate_error_code(NULL) == -1);
    CHECK(strcmp(migrate_error_message(NULL), "") == 0);
    CHECK(strcmp(migrate_errc_name(MIGRATE_ERRC_SERVER_ERROR), "server_error") == 0);
    CHECK(strcmp(migrate_errc_name(MIGRATE_ERRC_SNAPSHOT_INVALID), "snapshot_invalid") == 0);
    CHECK(strcmp(migrate_errc_name(MIGRATE_ERRC_INVALID_ARGUMENT), "invalid_argument") == 0);
    CHECK(strcmp(migrate_errc_name(-5), "unknown") == 0);
    /* Remedies: the fix as data, named like the C++ enum. */
    CHECK(migrate_error_remedy(NULL) == MIGRATE_REMEDY_NONE);
    CHECK(strcmp(migrate_remedy_name(MIGRATE_REMEDY_DECIDE_IN_FLIGHT), "decide_in_flight") == 0);
    CHECK(strcmp(migrate_remedy_name(MIGRATE_REMEDY_ADOPT_DATABASE), "adopt_database") == 0);
    CHECK(strcmp(migrate_remedy_name(MIGRATE_REMEDY_CHOOSE_SCRATCH_SERVER + 1), "unknown") == 0);
    {
        /* Every code from 0 to the last has a name and the value after it has none. That each name is its
           migrate::errc identifier and each MIGRATE_ERRC_* its value is checked from the sources by
           tests/unit/error_codes_check.py, which also checks that LAST_ERRC is the last migrate::errc. */
#define LAST_ERRC MIGRATE_ERRC_MERGE_CONFLICT
        int all_named = 1;
        for (int code = 0; code <= LAST_ERRC; ++code)
            if (strcmp(migrate_errc_name(code), "unknown") == 0) {
                fprintf(stderr, "code %d has no name\n", code);
                all_named = 0;
            }
        CHECK(all_named);
        CHECK(strcmp(migrate_errc_name(LAST_ERRC + 1), "unknown") == 0);
    }

    /* Scratch folder. */
    const char* tmp = getenv("TMPDIR");
    snprintf(folder, sizeof folder, "%s/migrate-c-abi-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
    char path[512];
    CHECK(mkdtemp(folder) != NULL);
    snprintf(path, sizeof path, "%s/meta", folder);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof path, "%s/meta/_journal.json", folder);
    write_text(path,
               "{\"version\":\"7\",\"dialect\":\"mysql\",\"entries\":["
               "{\"idx\":0,\"version\":\"5\",\"when\":1000,\"tag\":\"0000_users\",\"breakpoints\":true},"
               "{\"idx\":1,\"version\":\"5\",\"when\":2000,\"tag\":\"0001_posts\",\"breakpoints\":true}]}");
    snprintf(path, sizeof path, "%s/0000_users.sql", folder);
    write_text(path, "CREATE TABLE `users` (`id` int PRIMARY KEY);");
    snprintf(path, sizeof path, "%s/0001_posts.sql", folder);
    write_text(path,
               "CREATE TABLE `posts` (`id` int PRIMARY KEY);\n--> statement-breakpoint\n"
               "INSERT INTO `posts` VALUES (1);");

    /* Scratch database. */
    conn = mysql_init(NULL);
    CHECK(conn != NULL);
    CHECK(mysql_real_connect(conn, host, user, password, NULL, port, NULL, 0) != NULL);
    snprintf(database, sizeof database, "capi_c_%ld", (long)getpid());
    char q[256];
    snprintf(q, sizeof q, "DROP DATABASE IF EXISTS `%s`", database);
    sql(q);
    snprintf(q, sizeof q, "CREATE DATABASE `%s`", database);
    sql(q);
    char url[700];
    snprintf(url, sizeof url, "%s/%s", server_url, database);

    migrate_error* err = NULL;
    migrate_target_options o;
    migrate_target_options_init(&o);
    CHECK(o.struct_size == sizeof o && o.use_baseline == 1 && o.url == NULL);
    (migrate_target_options_init)(NULL); /* the exported function: no crash */
    migrate_target_options_init_sized(NULL, sizeof o);
    {
        /* The plain-named symbols (what ctypes, koffi and older binaries call) write the first release's
           struct only: a caller that allocated that smaller struct is never written past its end. */
        unsigned char bytes[sizeof(migrate_target_options) + 16];
        memset(bytes, 0xAB, sizeof bytes);
        (migrate_target_options_init)((migrate_target_options*)bytes);
        const size_t first = offsetof(migrate_target_options, baseline_dir) + sizeof(const char*);
        size_t untouched = 0;
        for (size_t i = first; i < sizeof bytes; ++i) untouched += bytes[i] == 0xAB;
        CHECK(((migrate_target_options*)bytes)->struct_size == first && untouched == sizeof bytes - first);
        unsigned char up_bytes[sizeof(migrate_up_options) + 16];
        memset(up_bytes, 0xAB, sizeof up_bytes);
        (migrate_up_options_init)((migrate_up_options*)up_bytes);
        const size_t up_first = offsetof(migrate_up_options, to) + sizeof(const char*);
        untouched = 0;
        for (size_t i = up_first; i < sizeof up_bytes; ++i) untouched += up_bytes[i] == 0xAB;
        CHECK(((migrate_up_options*)up_bytes)->struct_size == up_first && untouched == sizeof up_bytes - up_first);
        /* The macro C code uses fills the whole struct as this header knows it. */
        migrate_target_options full;
        memset(&full, 0xAB, sizeof full);
        migrate_target_options_init(&full);
        CHECK(full.struct_size == sizeof full && full.statement_lock_wait_seconds == 0 && full.use_baseline == 1);
    }

    /* NULL arguments. */
    CHECK(migrate_target_open(NULL, &err) == NULL);
    CHECK(migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
    CHECK(strcmp(migrate_error_code_name(err), "invalid_argument") == 0);
    migrate_error_free(err);
    CHECK(migrate_target_open(NULL, NULL) == NULL); /* err may be NULL */
    o.url = url;
    o.migrations_dir = NULL;
    CHECK(migrate_target_open(&o, &err) == NULL && migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
    migrate_error_free(err);
    {
        migrate_target_options small = o;
        small.struct_size = 4;
        CHECK(migrate_target_open(&small, &err) == NULL && migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
        migrate_error_free(err);
    }
    char* json = (char*)1;
    CHECK(migrate_target_status_json(NULL, &json, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
    CHECK(json == NULL);
    CHECK(migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
    migrate_error_free(err);
    CHECK(migrate_target_plan_json(NULL, NULL, &json, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
    migrate_error_free(err);
    CHECK(migrate_target_up(NULL, NULL, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
    migrate_error_free(err);
    CHECK(migrate_target_up(NULL, NULL, NULL, NULL, NULL, NULL) == MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));

    /* Bad URL: url_invalid, and the message does not echo the password. */
    o.url = "mysql://someone:sekrit-pw@db.example:notaport/x";
    o.migrations_dir = folder;
    CHECK(migrate_target_open(&o, &err) == NULL);
    CHECK(migrate_error_code(err) == MIGRATE_ERRC_URL_INVALID);
    CHECK(strcmp(migrate_error_code_name(err), "url_invalid") == 0);
    CHECK(strlen(migrate_error_message(err)) > 0);
    CHECK(strstr(migrate_error_message(err), "sekrit-pw") == NULL);
    printf("# url_invalid: %s\n", migrate_error_message(err));
    migrate_error_free(err);

    /* Missing folder. */
    o.url = url;
    o.migrations_dir = "/nonexistent/migrations-folder";
    CHECK(migrate_target_open(&o, &err) == NULL);
    CHECK(migrate_error_code(err) == MIGRATE_ERRC_JOURNAL_MISSING);
    CHECK(strcmp(migrate_error_code_name(err), "journal_missing") == 0);
    migrate_error_free(err);

    /* Negative timeout. */
    o.migrations_dir = folder;
    o.lock_timeout_seconds = -1;
    CHECK(migrate_target_open(&o, &err) == NULL && migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
    migrate_error_free(err);
    o.lock_timeout_seconds = 10;
    /* Lock waits: -1 is "off", below that is refused naming the field; a caller built before the fields
       existed (a smaller struct_size) gets the defaults. */
    o.statement_lock_wait_seconds = -2;
    CHECK(migrate_target_open(&o, &err) == NULL && migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT &&
          strstr(migrate_error_message(err), "statement_lock_wait_seconds") != NULL);
    migrate_error_free(err);
    o.statement_lock_wait_seconds = 0;
    o.statement_lock_budget_seconds = -5;
    CHECK(migrate_target_open(&o, &err) == NULL &&
          strstr(migrate_error_message(err), "statement_lock_budget_seconds") != NULL);
    migrate_error_free(err);
    {
        migrate_target_options older = o;
        older.struct_size = offsetof(migrate_target_options, statement_lock_wait_seconds);
        migrate_target* t_old = migrate_target_open(&older, &err);
        CHECK(t_old != NULL && err == NULL);
        migrate_target_free(t_old);
    }
    o.statement_lock_budget_seconds = 0;

    /* Options as JSON: bad JSON, an unknown key, a wrong type, then a real one. */
    CHECK(migrate_target_open_json(NULL, &err) == NULL && migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
    migrate_error_free(err);
    CHECK(migrate_target_open_json("{\"url\": ", &err) == NULL &&
          migrate_error_code(err) == MIGRATE_ERRC_INVALID_ARGUMENT);
    migrate_error_free(err);
    CHECK(migrate_target_open_json("{\"colour\": 1}", &err) == NULL &&
          strstr(migrate_error_message(err), "colour") != NULL);
    migrate_error_free(err);
    CHECK(migrate_target_open_json("{\"use_baseline\": 3}", &err) == NULL &&
          strstr(migrate_error_message(err), "use_baseline") != NULL);
    migrate_error_free(err);
    {
        char options[2048];
        snprintf(options, sizeof options,
                 "{\"url\": \"%s\", \"migrations_dir\": \"%s\", \"lock_timeout_seconds\": 10, "
                 "\"statement_lock_wait_seconds\": 2, \"statement_lock_budget_seconds\": 30}",
                 o.url, o.migrations_dir);
        migrate_target* tj = migrate_target_open_json(options, &err);
        CHECK(tj != NULL && err == NULL);
        CHECK(migrate_target_up_json(tj, "{\"to\": 7}", NULL, NULL, NULL, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
        migrate_error_free(err);
        CHECK(migrate_target_up_json(tj, "{\"to\": \"9999_nope\"}", NULL, NULL, NULL, &err) != MIGRATE_OK);
        CHECK(strcmp(migrate_error_code_name(err), "target_not_found") == 0);
        migrate_error_free(err);
        migrate_target_free(tj);
    }

    /* A real target. */
    migrate_target* t = migrate_target_open(&o, &err);
    CHECK(t != NULL);
    CHECK(err == NULL);
    CHECK(migrate_target_status_json(t, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
    migrate_error_free(err);

    CHECK(migrate_target_status_json(t, &json, &err) == MIGRATE_OK);
    CHECK(err == NULL && json != NULL);
    printf("# status: %.200s...\n", json);
    CHECK(strstr(json, "\"pending\":2") != NULL);
    CHECK(strstr(json, "\"applied\":0") != NULL);
    CHECK(strstr(json, "\"tag\":\"0000_users\"") != NULL);
    CHECK(strstr(json, "migrate-local-pw") == NULL);
    migrate_free_string(json);

    CHECK(migrate_target_plan_json(t, NULL, &json, &err) == MIGRATE_OK);
    CHECK(strstr(json, "\"refused\":null") != NULL);
    CHECK(strstr(json, "\"has_ddl\":true") != NULL);
    CHECK(strstr(json, "INSERT INTO `posts` VALUES (1)") != NULL);
    migrate_free_string(json);

    /* up --to a tag that does not exist. */
    migrate_up_options up;
    migrate_up_options_init(&up);
    CHECK(up.struct_size == sizeof up && up.use_baseline == 1 && up.to == NULL);
    up.to = "9999_nope";
    CHECK(migrate_target_up(t, &up, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_TARGET_NOT_FOUND));
    CHECK(migrate_error_code(err) == MIGRATE_ERRC_TARGET_NOT_FOUND);
    migrate_error_free(err);

    /* up with a callback. */
    struct counts c;
    memset(&c, 0, sizeof c);
    c.magic = 0x5eed;
    up.to = NULL;
    char* report = NULL;
    CHECK(migrate_target_up(t, &up, on_event, &c, &report, &err) == MIGRATE_OK);
    CHECK(err == NULL && report != NULL);
    printf("# up: %s (%d events)\n", report, c.events);
    CHECK(c.run_started == 1 && c.run_finished == 1);
    CHECK(c.migration_finished == 2);
    CHECK(c.statement_finished == 3);
    CHECK(strcmp(c.last_tag, "0001_posts") == 0);
    CHECK(strstr(report, "\"applied\":2") != NULL);
    CHECK(strstr(report, "\"statements\":3") != NULL);
    migrate_free_string(report);
    /* The log fields: each event's level, readiness and JSON line; the handle's readiness for a probe. */
    CHECK(c.debug_events == 6); /* statement_started and statement_finished, 3 statements */
    CHECK(c.json_lines == c.events);
    CHECK(c.last_readiness == MIGRATE_READINESS_DONE);
    CHECK(migrate_target_readiness(t) == MIGRATE_READINESS_DONE);
    CHECK(migrate_target_readiness(NULL) == -1);
    CHECK(strcmp(migrate_event_kind_name(MIGRATE_EVENT_RUN_FAILED), "run_failed") == 0);
    CHECK(strcmp(migrate_event_kind_name(MIGRATE_EVENT_RUN_FAILED + 1), "unknown") == 0);
    CHECK(strcmp(migrate_log_level_name(MIGRATE_LOG_WARNING), "warning") == 0);
    CHECK(strcmp(migrate_readiness_name(MIGRATE_READINESS_WAITING_FOR_LOCK), "waiting_for_lock") == 0);
    CHECK(strcmp(migrate_readiness_name(-1), "unknown") == 0);
    CHECK(migrate_target_set_log(NULL, MIGRATE_LOG_INFO, on_log, NULL, &err) ==
          MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
    migrate_error_free(err);
    CHECK(migrate_target_set_log(t, 7, on_log, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
    CHECK(strstr(migrate_error_message(err), "min_level") != NULL);
    migrate_error_free(err);

    CHECK(migrate_target_status_json(t, &json, NULL) == MIGRATE_OK);
    CHECK(strstr(json, "\"applied\":2") != NULL && strstr(json, "\"pending\":0") != NULL);
    migrate_free_string(json);

    /* Nothing left: up again, no callback, no report. */
    CHECK(migrate_target_up(t, NULL, NULL, NULL, NULL, &err) == MIGRATE_OK);

    /* A statement that copies `posts` (ADD CHECK), above a 1-byte limit: refused before anything runs, in
       the struct and in the JSON options; the plan shows the algorithm and the refusal. */
    add_third_migration(folder, path, sizeof path, "0002_check",
                        "ALTER TABLE `posts` ADD CONSTRAINT `posts_id_check` CHECK (`id` > 0);");
    {
        migrate_target* tc = migrate_target_open(&o, &err);
        CHECK(tc != NULL);
        migrate_up_options limited;
        migrate_up_options_init(&limited);
        CHECK(limited.max_table_copy_bytes == 0);
        limited.max_table_copy_bytes = 1;
        CHECK(migrate_target_plan_json(tc, &limited, &json, &err) == MIGRATE_OK);
        CHECK(strstr(json, "\"algorithm\":\"copy\"") != NULL && strstr(json, "\"table\":\"posts\"") != NULL);
        CHECK(strstr(json, "\"code\":\"table_copy_too_large\"") != NULL);
        migrate_free_string(json);
        CHECK(migrate_target_up(tc, &limited, NULL, NULL, NULL, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_TABLE_COPY_TOO_LARGE));
        CHECK(strstr(migrate_error_message(err), "`posts`") != NULL && migrate_error_line(err) == 1);
        migrate_error_free(err);
        CHECK(migrate_target_up_json(tc, "{\"max_table_copy\": \"1B\"}", NULL, NULL, NULL, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_TABLE_COPY_TOO_LARGE));
        migrate_error_free(err);
        CHECK(migrate_target_up_json(tc, "{\"max_table_copy\": \"lots\"}", NULL, NULL, NULL, &err) ==
              MIGRATE_STATUS(MIGRATE_ERRC_INVALID_ARGUMENT));
        migrate_error_free(err);
        CHECK(migrate_target_status_json(tc, &json, NULL) == MIGRATE_OK);
        CHECK(strstr(json, "\"applied\":2") != NULL && strstr(json, "\"pending_statements\":[{") != NULL);
        migrate_free_string(json);
        migrate_target_free(tc);
        remove(path);
    }

    /* A server error: a migration that fails, with errno and SQLSTATE. */
    add_third_migration(folder, path, sizeof path, "0002_again", "CREATE TABLE `users` (`id` int PRIMARY KEY);");
    migrate_target* t2 = migrate_target_open(&o, &err);
    CHECK(t2 != NULL);
    struct log_seen seen;
    memset(&seen, 0, sizeof seen);
    CHECK(migrate_target_set_log(t2, MIGRATE_LOG_WARNING, on_log, &seen, &err) == MIGRATE_OK);
    CHECK(migrate_target_readiness(t2) == MIGRATE_READINESS_STARTING);
    CHECK(migrate_target_up(t2, NULL, NULL, NULL, NULL, &err) == MIGRATE_STATUS(MIGRATE_ERRC_SERVER_ERROR));
    /* The log callback saw the failure only (warning and above), with errno and SQLSTATE, as data and JSON. */
    CHECK(seen.records == 1 && seen.below_min_level == 0 && seen.run_failed == 1);
    CHECK(seen.failure_errno == 1050 && strcmp(seen.failure_sqlstate, "42S01") == 0);
    CHECK(strcmp(seen.failure_code, "server_error") == 0);
    CHECK(seen.failure_readiness == MIGRATE_READINESS_FAILED);
    CHECK(strstr(seen.last_json, "\"event\":\"run_failed\"") != NULL &&
          strstr(seen.last_json, "\"errno\":1050") != NULL);
    CHECK(strstr(seen.last_json, "migrate-local-pw") == NULL);
    CHECK(migrate_target_readiness(t2) == MIGRATE_READINESS_FAILED);
    CHECK(strcmp(migrate_error_code_name(err), "server_error") == 0);
    CHECK(migrate_error_server_errno(err) == 1050);
    CHECK(strcmp(migrate_error_sqlstate(err), "42S01") == 0);
    CHECK(migrate_error_completion_unknown(err) == 0);
    CHECK(strcmp(migrate_error_tag(err), "0002_again") == 0);
    CHECK(migrate_error_statement(err) == 0);
    CHECK(migrate_error_line(err) == 1);
    CHECK(strstr(migrate_error_file(err), "0002_again.sql") != NULL);
    printf("# server_error: %s\n", migrate_error_message(err));
    migrate_error_free(err);
    migrate_target_free(t2);
    migrate_target_free(t);

    cleanup();
    mysql_close(conn);
    printf("# all %d checks passed\n", checks);
    return 0;
}
