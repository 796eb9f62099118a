// Events as leveled log records and JSON lines, and the readiness they lead to (migrate/log.hpp).
#include <migrate/log.hpp>

#include "../json/error_object.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <utility>

namespace migrate {
namespace {

using Json = nlohmann::ordered_json;
using K = Event::Kind;

std::int64_t millis(std::chrono::nanoseconds d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// RFC 3339 in UTC with milliseconds: what log pipelines (Loki, Elasticsearch, OTel collectors) parse unaided.
std::string rfc3339(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
    const auto secs = std::chrono::time_point_cast<std::chrono::seconds>(ms);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(secs)),
                       static_cast<int>((ms - secs).count()));
}

bool is_wait(K kind) {
    return kind == K::lock_waiting || kind == K::previous_run_waiting || kind == K::statement_lock_waiting;
}

bool is_statement_event(K kind) {
    return kind == K::statement_started || kind == K::statement_finished || kind == K::statement_skipped ||
           kind == K::statement_lock_waiting;
}

Json deploy_request_object(const DeployRequestProgress& d) {
    Json operations = Json::array();
    for (const auto& op : d.operations)
        operations.push_back({{"table", op.table},
                              {"operation", op.operation},
                              {"state", op.state},
                              {"progress_percent", op.progress_percent},
                              {"eta_seconds", op.eta_seconds}});
    return {{"number", d.number ? Json(d.number) : Json()},
            {"branch", d.branch},
            {"phase", d.phase},
            {"state", d.deployment_state.empty() ? Json() : Json(d.deployment_state)},
            {"url", d.html_url.empty() ? Json() : Json(d.html_url)},
            {"operations", std::move(operations)}};
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warning: return "warning";
        case LogLevel::error: return "error";
    }
    return "info";
}

std::string_view to_string(Event::Kind kind) noexcept {
    switch (kind) {
        case K::lock_waiting: return "lock_waiting";
        case K::lock_acquired: return "lock_acquired";
        case K::run_started: return "run_started";
        case K::migration_started: return "migration_started";
        case K::migration_resumed: return "migration_resumed";
        case K::statement_started: return "statement_started";
        case K::statement_skipped: return "statement_skipped";
        case K::statement_finished: return "statement_finished";
        case K::migration_finished: return "migration_finished";
        case K::run_finished: return "run_finished";
        case K::previous_run_waiting: return "previous_run_waiting";
        case K::statement_lock_waiting: return "statement_lock_waiting";
        case K::deploy_request: return "deploy_request";
        case K::run_failed: return "run_failed";
    }
    return "unknown";
}

LogLevel level_of(const Event& event) noexcept {
    if (event.kind == K::run_failed) return LogLevel::error;
    if (is_wait(event.kind)) return LogLevel::warning;
    if (event.kind == K::statement_started || event.kind == K::statement_finished) return LogLevel::debug;
    return LogLevel::info;
}

std::string_view to_string(Readiness state) noexcept {
    switch (state) {
        case Readiness::starting: return "starting";
        case Readiness::waiting_for_lock: return "waiting_for_lock";
        case Readiness::migrating: return "migrating";
        case Readiness::done: return "done";
        case Readiness::failed: return "failed";
    }
    return "starting";
}

Readiness readiness_after(Readiness current, const Event& event) noexcept {
    // The end of a run is final: a later event (another call on the same consumer) starts a new story only
    // through a new run, whose first event moves the state again.
    switch (event.kind) {
        case K::run_failed: return Readiness::failed;
        case K::run_finished: return Readiness::done;
        case K::lock_waiting:
        case K::previous_run_waiting:
        case K::statement_lock_waiting: return Readiness::waiting_for_lock;
        case K::lock_acquired:
        case K::run_started:
        case K::migration_started:
        case K::migration_resumed:
        case K::statement_started:
        case K::statement_skipped:
        case K::statement_finished:
        case K::migration_finished:
        case K::deploy_request: return Readiness::migrating;
    }
    return current;
}

void ReadinessTracker::observe(const Event& event) noexcept {
    state_.store(readiness_after(state_.load(std::memory_order_relaxed), event), std::memory_order_release);
}

EventCallback log_events(LogSink sink, std::string target, LogLevel min_level, EventCallback then) {
    // The readiness is the run's own, so it is kept per callback: one callback per run (or per target).
    auto readiness = std::make_shared<Readiness>(Readiness::starting);
    return [sink = std::move(sink), target = std::move(target), min_level, then = std::move(then),
            readiness](const Event& e) {
        *readiness = readiness_after(*readiness, e);
        if (then) then(e);
        const LogLevel level = level_of(e);
        if (!sink || level < min_level) return;
        sink(LogRecord{.time = std::chrono::system_clock::now(),
                       .level = level,
                       .target = target,
                       .readiness = *readiness,
                       .event = e});
    };
}

std::string to_json_line(const LogRecord& r) {
    const Event& e = r.event;
    Json j{{"time", rfc3339(r.time)},
           {"level", to_string(r.level)},
           {"event", to_string(e.kind)},
           {"target", r.target},
           {"readiness", to_string(r.readiness)}};
    if (e.migration) {
        j["migration"] = e.migration->tag;
        j["file"] = e.migration->file.string();
        j["migration_number"] = e.migration_number;
        j["migrations_total"] = e.migrations_total;
        if (is_statement_event(e.kind) && e.statement_index < e.migration->statements.size()) {
            j["statement"] = e.statement_index;
            j["statements_total"] = e.statements_total;
            j["line"] = e.migration->statements[e.statement_index].line;
        } else if (e.kind == K::migration_resumed) {
            j["statement"] = e.statement_index;
            j["statements_total"] = e.statements_total;
        } else {
            j["statements_total"] = e.statements_total;
        }
    } else if (e.kind == K::run_started || e.kind == K::run_finished) {
        j["migrations_total"] = e.migrations_total;
    }
    if (is_wait(e.kind) || e.kind == K::lock_acquired) {
        j["waited_ms"] = millis(e.duration);
    } else if (e.kind == K::statement_finished || e.kind == K::migration_finished || e.kind == K::run_finished) {
        j["duration_ms"] = millis(e.duration);
    }
    if (!e.holder.empty()) j["holder"] = e.holder;
    if (!e.detail.empty()) j["detail"] = e.detail;
    if (e.deploy_request) j["deploy_request"] = deploy_request_object(*e.deploy_request);
    if (e.failure) j["error"] = json::error_object(e.failure->code(), e.failure->what(), e.failure->context());
    return j.dump();
}

}  // namespace migrate
