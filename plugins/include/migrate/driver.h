/*
 * libmigrate driver SDK: the C interface every driver plugin implements.
 *
 * A driver is a shared library (CMake MODULE) named `migrate-driver-<name>` (lib prefix and .so
 * suffix added by the platform) that exports one symbol, MIGRATE_DRIVER_ENTRY_SYMBOL, returning a
 * pointer to a static migrate_driver_v1. Only C types cross this boundary: no C++ objects, no
 * exceptions (a driver must catch everything). Strings are NUL-terminated UTF-8 unless a length is
 * given. The core checks abi_version and struct_size before calling anything else.
 *
 * Versioning: abi_version changes only on incompatible changes. Fields are only ever appended to
 * migrate_driver_v1; struct_size tells the core which of them a driver has.
 */
#ifndef MIGRATE_DRIVER_H
#define MIGRATE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MIGRATE_DRIVER_ABI_VERSION  1u
#define MIGRATE_DRIVER_ENTRY_SYMBOL "migrate_driver_entry"

#if defined(_WIN32)
#define MIGRATE_DRIVER_EXPORT __declspec(dllexport)
#else
#define MIGRATE_DRIVER_EXPORT __attribute__((visibility("default")))
#endif

/* Result of every driver call. */
typedef enum migrate_driver_status {
    MIGRATE_DRIVER_OK = 0,
    MIGRATE_DRIVER_ERR_CONNECT = 1, /* could not reach or log in to the server */
    MIGRATE_DRIVER_ERR_SERVER = 2,  /* the server answered with an error (server_errno/sqlstate set) */
    MIGRATE_DRIVER_ERR_IO = 3,      /* connection lost; see completion_unknown */
    MIGRATE_DRIVER_ERR_OPTION = 4,  /* an option the driver does not accept or cannot honour */
    MIGRATE_DRIVER_ERR_INTERNAL = 5 /* anything else (out of memory, a bug) */
} migrate_driver_status;

/* Filled by the driver on failure. The core zeroes it and sets struct_size before each call. */
typedef struct migrate_driver_error {
    uint32_t struct_size;
    uint32_t server_errno;      /* MySQL error number, 0 if none */
    char sqlstate[6];           /* five characters + NUL, "" if none */
    uint8_t completion_unknown; /* 1: the request may have reached the server, outcome unknown */
    char message[1024];         /* human text; must never contain the password */
} migrate_driver_error;

/* One connection option, e.g. {"host", "db.example"}. Keys the driver understands:
 *   host, port, socket, user, password, database,
 *   ssl-mode (DISABLED | REQUIRED | VERIFY_CA | VERIFY_IDENTITY), ssl-ca, ssl-capath, ssl-cert, ssl-key,
 *   connect-timeout, read-timeout, write-timeout (seconds; 0 = none).
 * A driver rejects keys it does not know with MIGRATE_DRIVER_ERR_OPTION naming the key. */
typedef struct migrate_driver_option {
    const char* key;
    const char* value;
} migrate_driver_option;

/* Receives a result set. Values are valid only during the call; values[i] == NULL means SQL NULL. */
typedef struct migrate_driver_row_sink {
    void* user;
    /* Called once before the first row with the column names (may be NULL if not wanted). */
    void (*columns)(void* user, uint32_t count, const char* const* names);
    /* Called per row; return non-zero to stop reading (the rest is discarded). */
    int (*row)(void* user, uint32_t count, const char* const* values, const size_t* lengths);
} migrate_driver_row_sink;

typedef struct migrate_driver_result {
    uint64_t affected_rows;
    uint64_t insert_id;
    uint32_t warnings;
} migrate_driver_result;

typedef struct migrate_driver_conn migrate_driver_conn; /* opaque, owned by the driver */

typedef struct migrate_driver_v1 {
    uint32_t abi_version;       /* MIGRATE_DRIVER_ABI_VERSION the driver was built for */
    uint32_t struct_size;       /* sizeof(migrate_driver_v1) as the driver saw it */
    const char* name;           /* e.g. "mysql2-like" */
    const char* version;        /* driver version, e.g. "0.1.0" */
    const char* transport;      /* "tcp" or "http" */
    const char* const* schemes; /* NULL-terminated URL schemes it serves, e.g. {"mysql","mariadb",NULL} */

    /* Open a connection. On success *out is set and MIGRATE_DRIVER_OK returned. */
    int (*open)(const migrate_driver_option* options, size_t option_count, migrate_driver_conn** out,
                migrate_driver_error* err);
    /* Run exactly one SQL statement (never several). sink may be NULL (rows discarded); result may be NULL. */
    int (*execute)(migrate_driver_conn* conn, const char* sql, size_t sql_length, const migrate_driver_row_sink* sink,
                   migrate_driver_result* result, migrate_driver_error* err);
    /* Server version string (e.g. "10.11.6-MariaDB-0+deb12u1"); owned by the connection. */
    const char* (*server_version)(migrate_driver_conn* conn);
    /* Close and free; conn may be NULL. Never fails. */
    void (*close)(migrate_driver_conn* conn);
} migrate_driver_v1;

typedef const migrate_driver_v1* (*migrate_driver_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* MIGRATE_DRIVER_H */
