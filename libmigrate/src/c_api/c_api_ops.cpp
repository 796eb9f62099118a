// The C API's operations beyond status/plan/up (migrate.h, "Cancel, verify, lint, baseline, repair,
// resolve, run_at_startup"): thin wrappers that let no C++ type or exception out, and return the JSON of
// the shared serializers (result_json.hpp), so that each equals the CLI's --json entry.
#include "c_api_internal.hpp"

#include <migrate.h>

#include <migrate/migrate.hpp>
#include <migrate/result_json.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>

struct migrate_cancel_token {
    std::atomic<bool> flag{false};
};

namespace {

using migrate::c_api::c_events;
using migrate::c_api::cancellable;
using migrate::c_api::copy_string;
using migrate::c_api::fail;
using migrate::c_api::guarded;
using migrate::c_api::invalid;
using migrate::c_api::read_up_options;

// Versioned structs (see init_options in c_api_internal.hpp): zero the caller's `size` bytes, set struct_size.
template <class T>
bool init_zeroed(T* opts, std::size_t size) {
    if (!opts || size < sizeof(std::size_t)) return false;
    size = std::min(size, sizeof(T));
    std::memset(static_cast<void*>(opts), 0, size);
    opts->struct_size = size;
    return true;
}

// The caller's struct_size is at least `need` bytes (NULL passes: defaults); else INVALID_ARGUMENT.
template <class T>
bool big_enough(const T* opts, std::size_t need, const char* what, migrate_error** err, int& status) {
    if (!opts || opts->struct_size >= need) return true;
    status = invalid(err, (std::string(what) + ".struct_size is too small (call its *_init)").c_str());
    return false;
}

std::string text_or(const char* s, const std::string& fallback) { return s && *s ? std::string(s) : fallback; }

}  // namespace

extern "C" {

// ---- cancelling

void migrate_target_cancel(migrate_target* target) {
    if (target) target->cancel.store(true);
}
void migrate_target_cancel_reset(migrate_target* target) {
    if (target) target->cancel.store(false);
}

migrate_cancel_token* migrate_cancel_token_new(void) { return new (std::nothrow) migrate_cancel_token; }
void migrate_cancel_token_free(migrate_cancel_token* token) { delete token; }
void migrate_cancel_token_cancel(migrate_cancel_token* token) {
    if (token) token->flag.store(true);
}
void migrate_cancel_token_reset(migrate_cancel_token* token) {
    if (token) token->flag.store(false);
}
int migrate_cancel_token_is_cancelled(const migrate_cancel_token* token) { return token && token->flag.load() ? 1 : 0; }

// ---- verify and lint

int migrate_target_verify_json(migrate_target* target, int check_schema, char** json_out, migrate_error** err) {
    if (err) *err = nullptr;
    if (json_out) *json_out = nullptr;
    if (!target) return invalid(err, "migrate_target_verify_json: target is NULL");
    if (!json_out) return invalid(err, "migrate_target_verify_json: json_out is NULL");
    return cancellable(target, err, [&] {
        const auto status = target->target.status();
        const auto tracking = migrate::verify_tracking(status);
        std::optional<migrate::SchemaReport> schema;
        if (check_schema) schema = migrate::verify_schema(target->target, &status);
        *json_out = copy_string(migrate::verify_json(status.url, tracking, schema ? &*schema : nullptr));
    });
}

void migrate_lint_options_init_sized(migrate_lint_options* opts, size_t size) {
    if (init_zeroed(opts, size) && MIGRATE_HAS_FIELD(opts, migrate_lint_options, foreign_keys)) opts->foreign_keys = 1;
}

int migrate_lint_json(const char* migrations_dir, const migrate_lint_options* opts, char** json_out,
                      migrate_error** err) {
    if (err) *err = nullptr;
    if (json_out) *json_out = nullptr;
    if (!migrations_dir) return invalid(err, "migrate_lint_json: migrations_dir is NULL");
    if (!json_out) return invalid(err, "migrate_lint_json: json_out is NULL");
    using T = migrate_lint_options;
    int status = MIGRATE_OK;
    if (!big_enough(opts, offsetof(T, flavor) + sizeof(int), "migrate_lint_options", err, status)) return status;
    migrate::LintOptions options;
    if (opts) {
        switch (opts->flavor) {
            case MIGRATE_FLAVOR_MYSQL: options.flavor = migrate::Flavor::mysql; break;
            case MIGRATE_FLAVOR_MARIADB: options.flavor = migrate::Flavor::mariadb; break;
            case MIGRATE_FLAVOR_VITESS: options.flavor = migrate::Flavor::vitess; break;
            case MIGRATE_FLAVOR_PLANETSCALE: options.flavor = migrate::Flavor::planetscale; break;
            default: return invalid(err, "migrate_lint_json: flavor is unknown (MIGRATE_FLAVOR_*)");
        }
        if (MIGRATE_HAS_FIELD(opts, T, sharded)) options.sharded = opts->sharded != 0;
        if (MIGRATE_HAS_FIELD(opts, T, foreign_keys)) options.foreign_keys = opts->foreign_keys != 0;
    }
    return guarded(err, [&] {
        std::vector<migrate::LintedFolder> folders(1);
        folders[0].name = migrations_dir;
        folders[0].dir = migrations_dir;
        folders[0].options = options;
        folders[0].findings = migrate::lint_folder(migrations_dir, options);
        *json_out = copy_string(migrate::lint_json(folders));
    });
}

// ---- baseline, repair, resolve

void migrate_baseline_options_init_sized(migrate_baseline_options* opts, size_t size) { init_zeroed(opts, size); }

int migrate_target_baseline_create(migrate_target* target, const migrate_baseline_options* opts, char** json_out,
                                   migrate_error** err) {
    if (err) *err = nullptr;
    if (json_out) *json_out = nullptr;
    if (!target) return invalid(err, "migrate_target_baseline_create: target is NULL");
    using T = migrate_baseline_options;
    int status = MIGRATE_OK;
    if (!big_enough(opts, offsetof(T, scratch_server_url) + sizeof(const char*), "migrate_baseline_options", err,
                    status))
        return status;
    return cancellable(target, err, [&] {
        const auto& t = target->options;
        migrate::BaselineCreateOptions b{.migrations_dir = t.migrations_dir,
                                         .baseline_dir = t.baseline_dir,
                                         .scratch_server_url = t.url,
                                         .through = std::nullopt,
                                         .table = t.table};
        if (opts) b.scratch_server_url = text_or(opts->scratch_server_url, t.url);
        if (opts && MIGRATE_HAS_FIELD(opts, T, through) && opts->through && *opts->through) b.through = opts->through;
        auto report = migrate::create_baseline(b);
        if (json_out) *json_out = copy_string(migrate::baseline_create_json(report));
    });
}

int migrate_target_mark_baseline(migrate_target* target, const char* through, migrate_event_fn cb, void* user_data,
                                 uint64_t* recorded_out, migrate_error** err) {
    if (err) *err = nullptr;
    if (recorded_out) *recorded_out = 0;
    if (!target) return invalid(err, "migrate_target_mark_baseline: target is NULL");
    if (!through || !*through) return invalid(err, "migrate_target_mark_baseline: through is NULL or empty");
    return cancellable(target, err, [&] {
        const auto recorded = target->target.mark_baseline(through, c_events(cb, user_data, target));
        if (recorded_out) *recorded_out = recorded;
    });
}

int migrate_target_repair(migrate_target* target, migrate_event_fn cb, void* user_data, char** json_out,
                          migrate_error** err) {
    if (err) *err = nullptr;
    if (json_out) *json_out = nullptr;
    if (!target) return invalid(err, "migrate_target_repair: target is NULL");
    return cancellable(target, err, [&] {
        const auto repaired = target->target.repair(c_events(cb, user_data, target));
        if (json_out) *json_out = copy_string(migrate::repair_json(repaired));
    });
}

int migrate_target_resolve(migrate_target* target, const char* tag, int resolution, migrate_event_fn cb,
                           void* user_data, migrate_error** err) {
    if (err) *err = nullptr;
    if (!target) return invalid(err, "migrate_target_resolve: target is NULL");
    if (!tag || !*tag) return invalid(err, "migrate_target_resolve: tag is NULL or empty");
    if (resolution != MIGRATE_RESOLUTION_APPLIED && resolution != MIGRATE_RESOLUTION_RETRY)
        return invalid(err, "migrate_target_resolve: resolution is not MIGRATE_RESOLUTION_APPLIED or _RETRY");
    return cancellable(target, err, [&] {
        target->target.resolve(
            tag, resolution == MIGRATE_RESOLUTION_APPLIED ? migrate::Resolution::applied : migrate::Resolution::retry,
            c_events(cb, user_data, target));
    });
}

// ---- run_at_startup

void migrate_startup_options_init_sized(migrate_startup_options* opts, size_t size) { init_zeroed(opts, size); }

int migrate_run_at_startup(const migrate_startup_options* o, migrate_event_fn cb, void* user_data,
                           char** report_json_out, migrate_error** err) {
    if (err) *err = nullptr;
    if (report_json_out) *report_json_out = nullptr;
    using T = migrate_startup_options;
    if (!o) return invalid(err, "migrate_run_at_startup: options are NULL");
    int status = MIGRATE_OK;
    if (!big_enough(o, offsetof(T, target) + sizeof(void*), "migrate_startup_options", err, status)) return status;
    if (!o->target) return invalid(err, "migrate_run_at_startup: target options are NULL");
    const int on_validation_error =
        MIGRATE_HAS_FIELD(o, T, on_validation_error) ? o->on_validation_error : MIGRATE_ON_VALIDATION_ERROR_FAIL;
    if (on_validation_error != MIGRATE_ON_VALIDATION_ERROR_FAIL &&
        on_validation_error != MIGRATE_ON_VALIDATION_ERROR_START_ANYWAY)
        return invalid(err, "migrate_run_at_startup: on_validation_error is unknown (MIGRATE_ON_VALIDATION_ERROR_*)");
    // Pointer fields: MIGRATE_HAS_FIELD's sizeof of a pointer member reads as a mistake to clang-tidy.
    const auto has_pointer = [&](std::size_t offset) { return o->struct_size >= offset + sizeof(void*); };
    const migrate_cancel_token* token = has_pointer(offsetof(T, cancel)) ? o->cancel : nullptr;
    migrate::StartupOptions so;
    if (!read_up_options(has_pointer(offsetof(T, up)) ? o->up : nullptr, so.up, err, status)) return status;

    // migrate_target_open validates and converts the target options exactly as for a handle; the handle is
    // dropped, run_at_startup opens its own.
    migrate_error* open_error = nullptr;
    std::unique_ptr<migrate_target, decltype(&migrate_target_free)> opened(migrate_target_open(o->target, &open_error),
                                                                           &migrate_target_free);
    if (!opened) {
        status = open_error ? MIGRATE_STATUS(open_error->code) : MIGRATE_STATUS(MIGRATE_ERRC_INTERNAL);
        if (err)
            *err = open_error;
        else
            migrate_error_free(open_error);
        return status;
    }
    migrate::StartupReport report;
    status = guarded(err, [&] {
        const std::string database = opened->target.url().database;  // names the target in the events' JSON
        so.target = std::move(opened->options);
        so.on_validation_error = on_validation_error == MIGRATE_ON_VALIDATION_ERROR_START_ANYWAY
                                     ? migrate::OnValidationError::start_anyway
                                     : migrate::OnValidationError::fail;
        so.on_event = c_events(cb, user_data, nullptr, database);
        so.up.cancel = token ? &token->flag : nullptr;
        if (token && token->flag.load()) {
            // Cancelled before it started: nothing opened, nothing applied.
            report.error_code = migrate::errc::interrupted;
            report.error_message = "interrupted: cancelled before it started; nothing was done";
        } else {
            report = migrate::run_at_startup(so);
        }
        if (report_json_out) *report_json_out = copy_string(migrate::startup_json(report));
    });
    if (status != MIGRATE_OK) return status;
    if (report.ok) return MIGRATE_OK;
    const int code = report.error_code ? static_cast<int>(*report.error_code) : MIGRATE_ERRC_INTERNAL;
    return fail(err, code, report.error_message.c_str(), &report.context);
}

}  // extern "C"
