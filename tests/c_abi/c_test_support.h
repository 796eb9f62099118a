/* What the C programs testing migrate.h share: the check macro, the test server's coordinates from
 * MIGRATE_TEST_URL, a libmysqlclient connection for scratch databases, and clean-up of the scratch database
 * and folder at exit or at the first failed check. */
#ifndef MIGRATE_C_TEST_SUPPORT_H
#define MIGRATE_C_TEST_SUPPORT_H

#include <mysql.h>

#include <stdio.h>
#include <stdlib.h>

extern int checks;
extern char server_url[512]; /* mysql://user:pass@host:port */
extern char user[128], password[128], host[128];
extern unsigned port;
extern char database[64]; /* the scratch database: dropped by cleanup() */
extern char folder[256];  /* the scratch folder: removed by cleanup() */
extern MYSQL* conn;

/* Drops the scratch database and removes the scratch folder (either may be unset). */
void cleanup(void);
/* Runs q on conn; a failure cleans up and exits. */
void sql(const char* q);
/* Reads MIGRATE_TEST_URL (mysql://user:pass@host:port) into the globals above. */
void parse_url(const char* url);
/* Writes text to path; a failure exits. */
void write_text(const char* path, const char* text);

#define CHECK(cond)                                                           \
    do {                                                                      \
        ++checks;                                                             \
        if (!(cond)) {                                                        \
            fprintf(stderr, "FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            cleanup();                                                        \
            exit(1);                                                          \
        }                                                                     \
        printf("ok %d - %s\n", checks, #cond);                                \
    } while (0)

#endif
