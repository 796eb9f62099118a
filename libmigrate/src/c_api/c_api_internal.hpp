// Internal to the C API's files (c_api*.cpp): the handle and error structs behind migrate.h's opaque types and
// the helpers every wrapper uses (status from exceptions, NULL-safe out-parameters, versioned structs).
#pragma once

#include <migrate.h>

#include <migrate/migrate.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <new>
#include <string>
#include <utility>

struct migrate_error {
    int code = MIGRATE_ERRC_INTERNAL;
    std::string message;
    std::string sqlstate;
    std::string file;
    std::string tag;
    std::uint32_t server_errno = 0;
    long long line = -1;
    long long statement = -1;
    bool completion_unknown = false;
    int remedy = MIGRATE_REMEDY_NONE;
};

struct migrate_target {
    migrate::Target target;
    // What baseline create needs and Target does not expose: the options it was opened with.
    migrate::TargetOptions options;
    // migrate_target_cancel's flag (docs/c-api.md, "Cancelling"): set from any thread or a signal handler,
    // read by the running call between statements, cleared by the call as it returns.
    std::atomic<bool> cancel{false};
    // migrate_target_set_log: every call's events at log_min_level or above.
    migrate_event_fn log_fn = nullptr;
    void* log_user_data = nullptr;
    migrate::LogLevel log_min_level = migrate::LogLevel::info;
    // migrate_target_readiness, read from another thread while a call runs.
    migrate::ReadinessTracker readiness{};
};
// A signal handler may only touch lock-free atomics.
static_assert(std::atomic<bool>::is_always_lock_free);

namespace migrate::c_api {

// Versioned structs grow at their end. An init that wrote sizeof(struct) as this build knows it would write
// past the end of a caller's older, smaller struct (ctypes and koffi declare the struct themselves): only the
// caller's `size` bytes are touched, and the plain-named symbols keep the first release's size.
template <class T>
void init_options(T* opts, std::size_t size) {
    if (!opts || size < offsetof(T, use_baseline) + sizeof(int)) return;
    size = std::min(size, sizeof(T));
    std::memset(static_cast<void*>(opts), 0, size);
    opts->struct_size = size;
    opts->use_baseline = 1;
}

inline void fill_error(migrate_error& e, int code, const char* message, const migrate::error_context* ctx) {
    e.code = code;
    e.message = migrate::redact_url_text(message);
    if (ctx) {
        e.sqlstate = ctx->sqlstate;
        e.file = ctx->file;
        e.tag = ctx->tag;
        e.server_errno = ctx->server_errno;
        e.line = ctx->line ? static_cast<long long>(*ctx->line) : -1;
        e.statement = ctx->statement ? static_cast<long long>(*ctx->statement) : -1;
        e.completion_unknown = ctx->completion_unknown;
        e.remedy = static_cast<int>(ctx->fix);
    }
}

// Builds the error, stores it in *err when asked, returns the status. Never throws.
inline int fail(migrate_error** err, int code, const char* message,
                const migrate::error_context* ctx = nullptr) noexcept {
    if (err) {
        *err = nullptr;
        try {
            auto* e = new migrate_error;
            fill_error(*e, code, message, ctx);
            *err = e;
        } catch (...) {
            // Out of memory while reporting: the status still says what happened.
        }
    }
    return MIGRATE_STATUS(code);
}

inline int invalid(migrate_error** err, const char* message) noexcept {
    return fail(err, MIGRATE_ERRC_INVALID_ARGUMENT, message);
}

// Runs f, mapping every exception to a status. f returns nothing; success is MIGRATE_OK.
template <class F>
int guarded(migrate_error** err, F&& f) noexcept {
    if (err) *err = nullptr;
    try {
        f();
        return MIGRATE_OK;
    } catch (const migrate::error& e) {
        return fail(err, static_cast<int>(e.code()), e.what(), &e.context());
    } catch (const std::bad_alloc&) {
        return fail(err, MIGRATE_ERRC_INTERNAL, "out of memory");
    } catch (const std::exception& e) {
        return fail(err, MIGRATE_ERRC_INTERNAL, e.what());
    } catch (...) {
        return fail(err, MIGRATE_ERRC_INTERNAL, "unknown exception");
    }
}

// Does a caller's struct of `size` bytes include `field` (ending at offset+size)?
// NOLINTBEGIN(bugprone-macro-parentheses): `type` is a template argument and `field` a member name; neither
// can be parenthesized.
#define MIGRATE_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(static_cast<type*>(nullptr)->field))
// NOLINTEND(bugprone-macro-parentheses)

inline char* copy_string(const std::string& s) {
    auto* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, s.data(), s.size() + 1);
    return out;
}

// Reads the caller's up options (NULL: defaults) into UpOptions; false: malformed.
inline bool read_up_options(const migrate_up_options* o, migrate::UpOptions& out, migrate_error** err, int& status) {
    if (!o) return true;
    using T = migrate_up_options;
    if (o->struct_size < offsetof(T, allow_out_of_order) + sizeof(int)) {
        status = invalid(err, "migrate_up_options.struct_size is too small (call migrate_up_options_init)");
        return false;
    }
    out.allow_out_of_order = o->allow_out_of_order != 0;
    if (MIGRATE_HAS_FIELD(o, T, allow_missing)) out.allow_missing = o->allow_missing != 0;
    if (MIGRATE_HAS_FIELD(o, T, allow_dirty)) out.allow_dirty = o->allow_dirty != 0;
    if (MIGRATE_HAS_FIELD(o, T, use_baseline)) out.use_baseline = o->use_baseline != 0;
    if (MIGRATE_HAS_FIELD(o, T, to) && o->to) out.to = std::string(o->to);
    if (MIGRATE_HAS_FIELD(o, T, max_table_copy_bytes) && o->max_table_copy_bytes)
        out.max_table_copy_bytes = o->max_table_copy_bytes;
    if (MIGRATE_HAS_FIELD(o, T, refuse_deploy_requests)) out.wait_for_deploy_requests = o->refuse_deploy_requests == 0;
    return true;
}

// migrate::Event as the C struct (its strings point into the event: valid during the callback, as migrate.h
// says), for the call's own callback `cb` and, with a handle, the handle's log callback; the handle's
// readiness follows every event. `target_name` names the target in the JSON line (default: the handle's
// URL's database). c_api_events.cpp.
EventCallback c_events(migrate_event_fn cb, void* user_data, migrate_target* target = nullptr,
                       std::string target_name = {});

// One cancellable call on a handle (migrate_target_cancel): a cancel that is pending when it starts stops it
// before it does anything, and the flag is cleared as it returns whatever happened, so that one cancel stops
// one call. f is run as guarded runs it.
template <class F>
int cancellable(migrate_target* target, migrate_error** err, F&& f) noexcept {
    struct Clear {
        std::atomic<bool>* flag;
        ~Clear() { flag->store(false); }
    } clear{&target->cancel};
    if (target->cancel.load())
        return fail(err, MIGRATE_ERRC_INTERRUPTED, "interrupted: cancelled before it started; nothing was done");
    return guarded(err, std::forward<F>(f));
}

}  // namespace migrate::c_api
