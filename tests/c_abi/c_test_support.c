#include "c_test_support.h"

#include <string.h>

int checks = 0;
char server_url[512];
char user[128], password[128], host[128];
unsigned port = 3306;
char database[64];
char folder[256];
MYSQL* conn = NULL;

void cleanup(void) {
    char q[128];
    if (conn && database[0]) {
        snprintf(q, sizeof q, "DROP DATABASE IF EXISTS `%s`", database);
        mysql_real_query(conn, q, (unsigned long)strlen(q));
    }
    if (folder[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", folder);
    }
}

void sql(const char* q) {
    if (mysql_real_query(conn, q, (unsigned long)strlen(q)) != 0) {
        fprintf(stderr, "query failed: %s: %s\n", q, mysql_error(conn));
        cleanup();
        exit(1);
    }
}

void parse_url(const char* url) {
    const char* p = strstr(url, "://");
    if (!p) {
        fprintf(stderr, "bad MIGRATE_TEST_URL\n");
        exit(1);
    }
    p += 3;
    const char* at = strrchr(p, '@');
    const char* colon = strchr(p, ':');
    if (!at || !colon || colon > at) {
        fprintf(stderr, "MIGRATE_TEST_URL needs user:password@\n");
        exit(1);
    }
    snprintf(user, sizeof user, "%.*s", (int)(colon - p), p);
    snprintf(password, sizeof password, "%.*s", (int)(at - colon - 1), colon + 1);
    const char* h = at + 1;
    const char* pc = strchr(h, ':');
    const char* end = h + strcspn(h, "/?");
    if (pc && pc < end) {
        snprintf(host, sizeof host, "%.*s", (int)(pc - h), h);
        port = (unsigned)atoi(pc + 1);
    } else {
        snprintf(host, sizeof host, "%.*s", (int)(end - h), h);
    }
    snprintf(server_url, sizeof server_url, "%.*s", (int)(end - url), url);
}

void write_text(const char* path, const char* text) {
    FILE* f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}
