#pragma once
// Symbols of libmigrate's public API; everything else is hidden (-fvisibility=hidden).
#if defined(MIGRATE_STATIC)
#define MIGRATE_API
#else
#define MIGRATE_API __attribute__((visibility("default")))
#endif
