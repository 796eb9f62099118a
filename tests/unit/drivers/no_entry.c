/* A shared library that is not a driver: it lacks the entry point. */
int migrate_not_a_driver(void) { return 42; }
