// The C API (include/migrate.h): thin wrappers around migrate::Target that let no C++ type or exception out.
#include "c_api_internal.hpp"

#include <migrate.h>

#include <migrate/migrate.hpp>

#include <migrate/result_json.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

using Json = nlohmann::ordered_json;

namespace {

// migrate_errc mirrors migrate::errc; a renumbering would break the ABI.
static_assert(MIGRATE_ERRC_JOURNAL_MISSING == static_cast<int>(migrate::errc::journal_missing));
static_assert(MIGRATE_ERRC_URL_INVALID == static_cast<int>(migrate::errc::url_invalid));
static_assert(MIGRATE_ERRC_SERVER_ERROR == static_cast<int>(migrate::errc::server_error));
static_assert(MIGRATE_ERRC_INTERNAL == static_cast<int>(migrate::errc::internal));
static_assert(MIGRATE_ERRC_BASELINE_INVALID == static_cast<int>(migrate::errc::baseline_invalid));
static_assert(MIGRATE_ERRC_SNAPSHOT_INVALID == static_cast<int>(migrate::errc::snapshot_invalid));
static_assert(MIGRATE_ERRC_STATEMENT_BLOCKED == static_cast<int>(migrate::errc::statement_blocked));
static_assert(MIGRATE_ERRC_TABLE_COPY_TOO_LARGE == static_cast<int>(migrate::errc::table_copy_too_large));
static_assert(MIGRATE_ERRC_MIGRATION_OUTSIDE_FOLDER == static_cast<int>(migrate::errc::migration_outside_folder));
static_assert(MIGRATE_ERRC_PLATFORM_API == static_cast<int>(migrate::errc::platform_api));
static_assert(MIGRATE_ERRC_DEPLOY_REQUEST_FAILED == static_cast<int>(migrate::errc::deploy_request_failed));
static_assert(MIGRATE_ERRC_DEPLOY_REQUEST_WAITING == static_cast<int>(migrate::errc::deploy_request_waiting));
// MIGRATE_REMEDY_* mirror migrate::remedy.
static_assert(MIGRATE_REMEDY_RESOLVE_APPLIED == static_cast<int>(migrate::remedy::resolve_applied));
static_assert(MIGRATE_REMEDY_RECREATE_OR_SKIP_BASELINE == static_cast<int>(migrate::remedy::recreate_or_skip_baseline));
static_assert(MIGRATE_REMEDY_DECIDE_IN_FLIGHT == static_cast<int>(migrate::remedy::decide_in_flight));
static_assert(MIGRATE_REMEDY_CHOOSE_SCRATCH_SERVER == static_cast<int>(migrate::remedy::choose_scratch_server));

using migrate::c_api::cancellable;
using migrate::c_api::copy_string;
using migrate::c_api::fail;
using migrate::c_api::guarded;
using migrate::c_api::init_options;
using migrate::c_api::invalid;
using migrate::c_api::read_up_options;

// The strings of migrate_target_open_json's "planetscale" object, alive until migrate_target_open returns.
struct PlanetScaleStrings {
    std::string organization, database, branch, api_url, token_id, token, keyspace, from_branch;
};

// Reads {"organization", …} into o (pointing into `keep`); false: an unknown key or a wrong type.
bool read_planetscale_json(const Json& v, migrate_target_options& o, PlanetScaleStrings& keep) {
    if (!v.is_object()) return false;
    for (const auto& [key, x] : v.items()) {
        std::string* text = key == "organization"       ? &keep.organization
                            : key == "database"         ? &keep.database
                            : key == "branch"           ? &keep.branch
                            : key == "api_url"          ? &keep.api_url
                            : key == "service_token_id" ? &keep.token_id
                            : key == "service_token"    ? &keep.token
                            : key == "keyspace"         ? &keep.keyspace
                            : key == "from_branch"      ? &keep.from_branch
                                                        : nullptr;
        bool ok = true;
        if (text)
            ok = x.is_string() && (*text = x.get<std::string>(), true);
        else if (key == "cutover")
            ok = x.is_string() && (x == "automatic" || x == "apply" || x == "wait") &&
                 (o.deploy_cutover = x == "apply"  ? MIGRATE_CUTOVER_APPLY
                                     : x == "wait" ? MIGRATE_CUTOVER_WAIT
                                                   : MIGRATE_CUTOVER_AUTOMATIC,
                  true);
        else if (key == "revert_window")
            ok = x.is_string() && (x == "skip" || x == "wait" || x == "leave-open") &&
                 (o.deploy_revert_window = x == "wait"         ? MIGRATE_REVERT_WINDOW_WAIT
                                           : x == "leave-open" ? MIGRATE_REVERT_WINDOW_LEAVE_OPEN
                                                               : MIGRATE_REVERT_WINDOW_SKIP,
                  true);
        else if (key == "instant")
            ok = x.is_boolean() && (o.deploy_instant = x.get<bool>() ? 1 : 0, true);
        else if (key == "deploy_timeout_seconds")
            ok = x.is_number_integer() && (o.deploy_timeout_seconds = x.get<long long>(), true);
        else
            ok = false;
        if (!ok) return false;  // the caller names the key
    }
    auto ptr = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    o.planetscale_organization = ptr(keep.organization);
    o.planetscale_database = ptr(keep.database);
    o.planetscale_branch = ptr(keep.branch);
    o.planetscale_api_url = ptr(keep.api_url);
    o.planetscale_service_token_id = ptr(keep.token_id);
    o.planetscale_service_token = ptr(keep.token);
    o.planetscale_keyspace = ptr(keep.keyspace);
    o.planetscale_from_branch = ptr(keep.from_branch);
    return true;
}

long long ms(std::chrono::nanoseconds d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

}  // namespace

extern "C" {

// ---- errors

int migrate_error_code(const migrate_error* err) { return err ? err->code : -1; }

const char* migrate_errc_name(int code) {
    if (code == MIGRATE_ERRC_INVALID_ARGUMENT) return "invalid_argument";
    if (code < 0) return "unknown";
    if (code == MIGRATE_ERRC_INTERNAL) return "internal";
    // to_string answers "internal" for a value that is no errc; codes added to errc later get their names.
    auto name = migrate::to_string(static_cast<migrate::errc>(code));
    return name == "internal" ? "unknown" : name.data();  // literals: NUL-terminated
}

const char* migrate_error_code_name(const migrate_error* err) { return err ? migrate_errc_name(err->code) : ""; }
const char* migrate_error_message(const migrate_error* err) { return err ? err->message.c_str() : ""; }
const char* migrate_error_sqlstate(const migrate_error* err) { return err ? err->sqlstate.c_str() : ""; }
uint32_t migrate_error_server_errno(const migrate_error* err) { return err ? err->server_errno : 0; }
int migrate_error_completion_unknown(const migrate_error* err) { return err && err->completion_unknown ? 1 : 0; }
const char* migrate_error_file(const migrate_error* err) { return err ? err->file.c_str() : ""; }
const char* migrate_error_tag(const migrate_error* err) { return err ? err->tag.c_str() : ""; }
long long migrate_error_line(const migrate_error* err) { return err ? err->line : -1; }
long long migrate_error_statement(const migrate_error* err) { return err ? err->statement : -1; }
void migrate_error_free(migrate_error* err) { delete err; }
int migrate_error_remedy(const migrate_error* err) { return err ? err->remedy : MIGRATE_REMEDY_NONE; }
const char* migrate_remedy_name(int remedy) {
    if (remedy < 0 || remedy > MIGRATE_REMEDY_CHOOSE_SCRATCH_SERVER) return "unknown";
    return migrate::to_string(static_cast<migrate::remedy>(remedy)).data();  // literals: NUL-terminated
}

// ---- versions and strings

const char* migrate_version(void) { return MIGRATE_VERSION; }
unsigned migrate_abi_version(void) { return MIGRATE_ABI_VERSION; }
unsigned migrate_driver_abi_version(void) { return migrate::driver_abi_version(); }
void migrate_free_string(char* s) { std::free(s); }

// ---- targets

void migrate_target_options_init_sized(migrate_target_options* opts, size_t size) { init_options(opts, size); }
void migrate_up_options_init_sized(migrate_up_options* opts, size_t size) { init_options(opts, size); }

#undef migrate_target_options_init
#undef migrate_up_options_init
void migrate_target_options_init(migrate_target_options* opts) {
    init_options(opts, offsetof(migrate_target_options, baseline_dir) + sizeof(const char*));
}
void migrate_up_options_init(migrate_up_options* opts) {
    init_options(opts, offsetof(migrate_up_options, to) + sizeof(const char*));
}

migrate_target* migrate_target_open(const migrate_target_options* o, migrate_error** err) {
    if (err) *err = nullptr;
    using T = migrate_target_options;
    if (!o) return invalid(err, "migrate_target_open: options are NULL"), nullptr;
    if (o->struct_size < offsetof(T, migrations_dir) + sizeof(const char*))
        return invalid(err, "migrate_target_options.struct_size is too small (call migrate_target_options_init)"),
               nullptr;
    if (!o->url) return invalid(err, "migrate_target_open: url is NULL"), nullptr;
    if (!o->migrations_dir) return invalid(err, "migrate_target_open: migrations_dir is NULL"), nullptr;
    if (MIGRATE_HAS_FIELD(o, T, lock_timeout_seconds) && o->lock_timeout_seconds < 0)
        return invalid(err, "migrate_target_open: lock_timeout_seconds is negative"), nullptr;
    if (MIGRATE_HAS_FIELD(o, T, lock_mode) && o->lock_mode != MIGRATE_LOCK_SESSION &&
        o->lock_mode != MIGRATE_LOCK_LEASE)
        return invalid(err, "migrate_target_open: lock_mode is unknown"), nullptr;
    if (MIGRATE_HAS_FIELD(o, T, lease_ttl_seconds) && o->lease_ttl_seconds < 0)
        return invalid(err, "migrate_target_open: lease_ttl_seconds is negative"), nullptr;
    if (MIGRATE_HAS_FIELD(o, T, statement_lock_wait_seconds) && o->statement_lock_wait_seconds < -1)
        return invalid(err, "migrate_target_open: statement_lock_wait_seconds must be -1 (off), 0 (default) or more"),
               nullptr;
    if (MIGRATE_HAS_FIELD(o, T, statement_lock_budget_seconds) && o->statement_lock_budget_seconds < 0)
        return invalid(err, "migrate_target_open: statement_lock_budget_seconds is negative"), nullptr;
    if (MIGRATE_HAS_FIELD(o, T, deploy_timeout_seconds) && o->planetscale_organization &&
        *o->planetscale_organization) {
        if (o->deploy_cutover < MIGRATE_CUTOVER_AUTOMATIC || o->deploy_cutover > MIGRATE_CUTOVER_WAIT)
            return invalid(err, "migrate_target_open: deploy_cutover is unknown (MIGRATE_CUTOVER_*)"), nullptr;
        if (o->deploy_revert_window < MIGRATE_REVERT_WINDOW_SKIP ||
            o->deploy_revert_window > MIGRATE_REVERT_WINDOW_LEAVE_OPEN)
            return invalid(err, "migrate_target_open: deploy_revert_window is unknown (MIGRATE_REVERT_WINDOW_*)"),
                   nullptr;
        if (o->deploy_timeout_seconds < 0)
            return invalid(err, "migrate_target_open: deploy_timeout_seconds is negative"), nullptr;
    }
    migrate_target* out = nullptr;
    guarded(err, [&] {
        migrate::TargetOptions t;
        t.url = o->url;
        t.migrations_dir = o->migrations_dir;
        if (MIGRATE_HAS_FIELD(o, T, table) && o->table && *o->table) t.table = o->table;
        if (MIGRATE_HAS_FIELD(o, T, lock_timeout_seconds) && o->lock_timeout_seconds > 0)
            t.lock_timeout = std::chrono::seconds(o->lock_timeout_seconds);
        if (MIGRATE_HAS_FIELD(o, T, use_baseline)) t.use_baseline = o->use_baseline != 0;
        if (MIGRATE_HAS_FIELD(o, T, lock_mode) && o->lock_mode == MIGRATE_LOCK_LEASE)
            t.lock_mode = migrate::LockMode::lease;
        if (MIGRATE_HAS_FIELD(o, T, lease_ttl_seconds) && o->lease_ttl_seconds > 0)
            t.lease_ttl = std::chrono::seconds(o->lease_ttl_seconds);
        if (MIGRATE_HAS_FIELD(o, T, baseline_dir) && o->baseline_dir && *o->baseline_dir)
            t.baseline_dir = o->baseline_dir;
        if (MIGRATE_HAS_FIELD(o, T, statement_lock_wait_seconds) && o->statement_lock_wait_seconds != 0)
            t.lock_waits.per_attempt = std::chrono::seconds(std::max(0LL, o->statement_lock_wait_seconds));
        if (MIGRATE_HAS_FIELD(o, T, statement_lock_budget_seconds) && o->statement_lock_budget_seconds > 0)
            t.lock_waits.total = std::chrono::seconds(o->statement_lock_budget_seconds);
        if (MIGRATE_HAS_FIELD(o, T, deploy_timeout_seconds) && o->planetscale_organization &&
            *o->planetscale_organization) {
            auto text = [](const char* s) { return std::string(s ? s : ""); };
            migrate::DeployRequestOptions d;
            d.api.organization = o->planetscale_organization;
            d.api.database = text(o->planetscale_database);
            if (o->planetscale_branch && *o->planetscale_branch) d.api.production_branch = o->planetscale_branch;
            if (o->planetscale_api_url && *o->planetscale_api_url) d.api.url = o->planetscale_api_url;
            d.api.service_token_id = text(o->planetscale_service_token_id);
            d.api.service_token = text(o->planetscale_service_token);
            d.keyspace = text(o->planetscale_keyspace);
            d.cutover = o->deploy_cutover == MIGRATE_CUTOVER_APPLY  ? migrate::CutOver::apply
                        : o->deploy_cutover == MIGRATE_CUTOVER_WAIT ? migrate::CutOver::wait_for_human
                                                                    : migrate::CutOver::automatic;
            d.revert_window = o->deploy_revert_window == MIGRATE_REVERT_WINDOW_WAIT ? migrate::RevertWindow::wait
                              : o->deploy_revert_window == MIGRATE_REVERT_WINDOW_LEAVE_OPEN
                                  ? migrate::RevertWindow::leave_open
                                  : migrate::RevertWindow::skip;
            if (MIGRATE_HAS_FIELD(o, T, planetscale_from_branch)) d.from_branch = text(o->planetscale_from_branch);
            d.instant = o->deploy_instant ? migrate::InstantDeploy::when_eligible : migrate::InstantDeploy::never;
            if (o->deploy_timeout_seconds > 0) d.timeout = std::chrono::seconds(o->deploy_timeout_seconds);
            t.deploy_requests = std::move(d);
        }
        auto target = migrate::Target::open(t);
        out = new migrate_target{std::move(target), std::move(t)};
    });
    return out;
}

migrate_target* migrate_target_open_json(const char* options_json, migrate_error** err) {
    if (err) *err = nullptr;
    if (!options_json) return invalid(err, "migrate_target_open_json: options_json is NULL"), nullptr;
    migrate_target_options o;
    migrate_target_options_init_sized(&o, sizeof o);
    std::string url, dir, table, baseline_dir;  // o points into these until migrate_target_open returns
    PlanetScaleStrings planetscale;
    Json j;
    try {
        j = Json::parse(options_json);
    } catch (const Json::parse_error& e) {
        return invalid(err, (std::string("migrate_target_open_json: not JSON: ") + e.what()).c_str()), nullptr;
    }
    if (!j.is_object()) return invalid(err, "migrate_target_open_json: expected a JSON object"), nullptr;
    for (const auto& [key, v] : j.items()) {
        const bool text = v.is_string(), number = v.is_number_integer(), flag = v.is_boolean();
        bool ok = true;
        if (key == "url")
            ok = text && (url = v.get<std::string>(), true);
        else if (key == "migrations_dir")
            ok = text && (dir = v.get<std::string>(), true);
        else if (key == "table")
            ok = text && (table = v.get<std::string>(), true);
        else if (key == "baseline_dir")
            ok = text && (baseline_dir = v.get<std::string>(), true);
        else if (key == "lock")
            ok = text && (v == "session" || v == "lease") &&
                 (o.lock_mode = v == "lease" ? MIGRATE_LOCK_LEASE : MIGRATE_LOCK_SESSION, true);
        else if (key == "lock_timeout_seconds")
            ok = number && (o.lock_timeout_seconds = v.get<int>(), true);
        else if (key == "lease_ttl_seconds")
            ok = number && (o.lease_ttl_seconds = v.get<int>(), true);
        else if (key == "statement_lock_wait_seconds")
            ok = number && (o.statement_lock_wait_seconds = v.get<int>(), true);
        else if (key == "statement_lock_budget_seconds")
            ok = number && (o.statement_lock_budget_seconds = v.get<int>(), true);
        else if (key == "use_baseline")
            ok = flag && (o.use_baseline = v.get<bool>() ? 1 : 0, true);
        else if (key == "planetscale")
            ok = read_planetscale_json(v, o, planetscale);
        else
            return invalid(err, ("migrate_target_open_json: unknown key \"" + key + "\"").c_str()), nullptr;
        if (!ok)
            return invalid(err, ("migrate_target_open_json: key \"" + key + "\" has a wrong type or value").c_str()),
                   nullptr;
    }
    o.url = j.contains("url") ? url.c_str() : nullptr;
    o.migrations_dir = j.contains("migrations_dir") ? dir.c_str() : nullptr;
    o.table = table.empty() ? nullptr : table.c_str();
    o.baseline_dir = baseline_dir.empty() ? nullptr : baseline_dir.c_str();
    return migrate_target_open(&o, err);
}

void migrate_target_free(migrate_target* target) { delete target; }

int migrate_target_status_json(migrate_target* target, char** json_out, migrate_error** err) {
    if (err) *err = nullptr;
    if (json_out) *json_out = nullptr;
    if (!target) return invalid(err, "migrate_target_status_json: target is NULL");
    if (!json_out) return invalid(err, "migrate_target_status_json: json_out is NULL");
    return guarded(err, [&] {
        auto s = target->target.status();
        *json_out = copy_string(migrate::status_json(target->target, s));
    });
}

int migrate_target_plan_json(migrate_target* target, const migrate_up_options* opts, char** json_out,
                             migrate_error** err) {
    if (err) *err = nullptr;
    if (json_out) *json_out = nullptr;
    if (!target) return invalid(err, "migrate_target_plan_json: target is NULL");
    if (!json_out) return invalid(err, "migrate_target_plan_json: json_out is NULL");
    migrate::UpOptions up;
    int status = MIGRATE_OK;
    if (!read_up_options(opts, up, err, status)) return status;
    return guarded(err, [&] { *json_out = copy_string(migrate::preview_json(target->target.preview(up))); });
}

int migrate_target_up(migrate_target* target, const migrate_up_options* opts, migrate_event_fn cb, void* user_data,
                      char** report_json_out, migrate_error** err) {
    if (err) *err = nullptr;
    if (report_json_out) *report_json_out = nullptr;
    if (!target) return invalid(err, "migrate_target_up: target is NULL");
    migrate::UpOptions up;
    int status = MIGRATE_OK;
    if (!read_up_options(opts, up, err, status)) return status;
    up.cancel = &target->cancel;  // migrate_target_cancel (c_api_ops.cpp)
    return cancellable(target, err, [&] {
        Json steps = Json::array();
        const auto to_c = migrate::c_api::c_events(cb, user_data, target);
        auto on_event = [&](const migrate::Event& e) {
            if (e.kind == migrate::Event::Kind::migration_finished && e.migration)
                steps.push_back(
                    {{"tag", e.migration->tag}, {"statements", e.statements_total}, {"duration_ms", ms(e.duration)}});
            to_c(e);
        };
        auto r = target->target.up(on_event, up);
        if (report_json_out) {
            Json j = {{"ok", true},
                      {"applied", r.migrations_applied},
                      {"resumed", r.migrations_resumed},
                      {"baseline_covered", r.baseline_covered},
                      {"statements", r.statements_run},
                      {"duration_ms", ms(r.duration)},
                      {"steps", std::move(steps)}};
            *report_json_out = copy_string(j.dump());
        }
    });
}

int migrate_target_up_json(migrate_target* target, const char* up_options_json, migrate_event_fn cb, void* user_data,
                           char** report_json_out, migrate_error** err) {
    if (err) *err = nullptr;
    migrate_up_options o;
    migrate_up_options_init_sized(&o, sizeof o);
    std::string to;
    if (up_options_json) {
        Json j;
        try {
            j = Json::parse(up_options_json);
        } catch (const Json::parse_error& e) {
            return invalid(err, (std::string("migrate_target_up_json: not JSON: ") + e.what()).c_str());
        }
        if (!j.is_object()) return invalid(err, "migrate_target_up_json: expected a JSON object");
        for (const auto& [key, v] : j.items()) {
            int* flag = key == "allow_out_of_order"       ? &o.allow_out_of_order
                        : key == "allow_missing"          ? &o.allow_missing
                        : key == "allow_dirty"            ? &o.allow_dirty
                        : key == "use_baseline"           ? &o.use_baseline
                        : key == "refuse_deploy_requests" ? &o.refuse_deploy_requests
                                                          : nullptr;
            if (flag && v.is_boolean())
                *flag = v.get<bool>() ? 1 : 0;
            else if (key == "to" && v.is_string())
                to = v.get<std::string>();
            else if (key == "max_table_copy_bytes" && v.is_number_unsigned())
                o.max_table_copy_bytes = v.get<std::uint64_t>();
            else if (key == "max_table_copy" && v.is_string() && migrate::parse_byte_size(v.get<std::string>()))
                o.max_table_copy_bytes = *migrate::parse_byte_size(v.get<std::string>());
            else
                return invalid(err, ("migrate_target_up_json: unknown key or wrong type: \"" + key + "\"").c_str());
        }
    }
    o.to = to.empty() ? nullptr : to.c_str();
    return migrate_target_up(target, &o, cb, user_data, report_json_out, err);
}

int migrate_target_set_log(migrate_target* target, int min_level, migrate_event_fn fn, void* user_data,
                           migrate_error** err) {
    if (err) *err = nullptr;
    if (!target) return invalid(err, "migrate_target_set_log: target is NULL");
    if (min_level < MIGRATE_LOG_DEBUG || min_level > MIGRATE_LOG_ERROR)
        return invalid(err, "migrate_target_set_log: min_level is not a MIGRATE_LOG_* level (0 to 3)");
    target->log_fn = fn;
    target->log_user_data = fn ? user_data : nullptr;
    target->log_min_level = static_cast<migrate::LogLevel>(min_level);
    return MIGRATE_OK;
}

int migrate_target_readiness(const migrate_target* target) {
    return target ? static_cast<int>(target->readiness.state()) : -1;
}

const char* migrate_event_kind_name(int kind) {
    if (kind < MIGRATE_EVENT_LOCK_WAITING || kind > MIGRATE_EVENT_RUN_FAILED) return "unknown";
    return migrate::to_string(static_cast<migrate::Event::Kind>(kind)).data();  // static, NUL-terminated literals
}

const char* migrate_log_level_name(int level) {
    if (level < MIGRATE_LOG_DEBUG || level > MIGRATE_LOG_ERROR) return "unknown";
    return migrate::to_string(static_cast<migrate::LogLevel>(level)).data();
}

const char* migrate_readiness_name(int readiness) {
    if (readiness < MIGRATE_READINESS_STARTING || readiness > MIGRATE_READINESS_FAILED) return "unknown";
    return migrate::to_string(static_cast<migrate::Readiness>(readiness)).data();
}

}  // extern "C"

static_assert(static_cast<int>(migrate::Event::Kind::run_failed) == MIGRATE_EVENT_RUN_FAILED);
static_assert(static_cast<int>(migrate::LogLevel::error) == MIGRATE_LOG_ERROR);
static_assert(static_cast<int>(migrate::Readiness::failed) == MIGRATE_READINESS_FAILED);
static_assert(std::atomic<migrate::Readiness>::is_always_lock_free);  // migrate_target_readiness from any thread
static_assert(static_cast<int>(migrate::Event::Kind::lock_waiting) == MIGRATE_EVENT_LOCK_WAITING);
static_assert(static_cast<int>(migrate::Event::Kind::run_finished) == MIGRATE_EVENT_RUN_FINISHED);
static_assert(static_cast<int>(migrate::Event::Kind::statement_lock_waiting) == MIGRATE_EVENT_STATEMENT_LOCK_WAITING);
static_assert(static_cast<int>(migrate::Event::Kind::deploy_request) == MIGRATE_EVENT_DEPLOY_REQUEST);
