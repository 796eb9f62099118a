/* Drivers the loader must refuse, one per compile definition. */
#include <migrate/driver.h>

static int bad_open(const migrate_driver_option* o, size_t n, migrate_driver_conn** out, migrate_driver_error* e) {
    (void)o;
    (void)n;
    (void)out;
    (void)e;
    return MIGRATE_DRIVER_ERR_INTERNAL;
}
static int bad_execute(migrate_driver_conn* c, const char* s, size_t l, const migrate_driver_row_sink* k,
                       migrate_driver_result* r, migrate_driver_error* e) {
    (void)c;
    (void)s;
    (void)l;
    (void)k;
    (void)r;
    (void)e;
    return MIGRATE_DRIVER_ERR_INTERNAL;
}
static const char* bad_version(migrate_driver_conn* c) {
    (void)c;
    return "";
}
static void bad_close(migrate_driver_conn* c) { (void)c; }
#if defined(BAD_NEWSCHEME)
/* Not bad at all: a driver for a scheme the core does not know, found by scanning the search path. */
static const char* const schemes[] = {"new-scheme", "other-scheme", 0};
#else
static const char* const schemes[] = {"mysql", 0};
#endif

static migrate_driver_v1 driver = {
#if defined(BAD_BADABI)
    999u,        sizeof(migrate_driver_v1),
    "badabi",
#elif defined(BAD_SMALLSTRUCT)
    MIGRATE_DRIVER_ABI_VERSION, 16u, "smallstruct",
#elif defined(BAD_NEWSCHEME)
    MIGRATE_DRIVER_ABI_VERSION, sizeof(migrate_driver_v1), "newscheme",
#else /* BAD_WRONGNAME */
    MIGRATE_DRIVER_ABI_VERSION, sizeof(migrate_driver_v1), "someone-else",
#endif
    "0.0.1",     "tcp",
    schemes,     bad_open,
    bad_execute, bad_version,
    bad_close};

MIGRATE_DRIVER_EXPORT const migrate_driver_v1* migrate_driver_entry(void) { return &driver; }
