// Library events as migrate_event, for a call's callback and a handle's log callback (c_api_internal.hpp).
#include "c_api_internal.hpp"

#include <chrono>
#include <memory>
#include <utility>

namespace migrate::c_api {

EventCallback c_events(migrate_event_fn cb, void* user_data, migrate_target* target, std::string target_name) {
    if (target && target_name.empty()) target_name = target->target.url().database;
    // The run's own readiness, for the struct's field: a call without a handle (run_at_startup) has no tracker.
    auto readiness = std::make_shared<Readiness>(Readiness::starting);
    return [cb, user_data, target, name = std::move(target_name), readiness](const Event& e) {
        *readiness = readiness_after(*readiness, e);
        if (target) target->readiness.observe(e);
        const LogLevel level = level_of(e);
        const bool to_log = target && target->log_fn && level >= target->log_min_level;
        if (!cb && !to_log) return;  // nobody reads it: no struct, no JSON
        const std::string line = to_json_line({.time = std::chrono::system_clock::now(),
                                               .level = level,
                                               .target = name,
                                               .readiness = *readiness,
                                               .event = e});
        migrate_error failure;
        if (e.failure)
            fill_error(failure, static_cast<int>(e.failure->code()), e.failure->what(), &e.failure->context());
        migrate_event ev{};
        ev.struct_size = sizeof ev;
        ev.kind = static_cast<int>(e.kind);
        ev.tag = e.migration ? e.migration->tag.c_str() : nullptr;
        ev.migration_number = e.migration_number;
        ev.migrations_total = e.migrations_total;
        ev.statement_index = e.statement_index;
        ev.statements_total = e.statements_total;
        ev.duration_ns = e.duration.count();
        ev.detail = e.detail.c_str();
        ev.level = static_cast<int>(level);
        ev.readiness = static_cast<int>(*readiness);
        ev.holder = e.holder.c_str();
        ev.json = line.c_str();
        ev.failure = e.failure ? &failure : nullptr;
        if (cb) cb(&ev, user_data);
        if (to_log) target->log_fn(&ev, target->log_user_data);
    };
}

}  // namespace migrate::c_api
